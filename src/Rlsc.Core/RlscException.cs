namespace Rlsc.Core;

/// <summary>
/// An error the user can fix: bad input, a missing file, a failed check. Carries a stable code
/// (see <see cref="ErrorCodes"/>) and, where there is one, the file and line it concerns, so that the
/// CLI prints it in MSBuild's canonical form and the MSBuild tasks turn it into a build error.
/// </summary>
public class RlscException : Exception
{
    public RlscException(string code, string message, string? file = null, int? line = null, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
        File = file;
        Line = line;
    }

    public string Code { get; }
    public string? File { get; }
    public int? Line { get; }

    /// <summary>`file(line): error RLSC003: message`, the form MSBuild and editors parse.</summary>
    public string ToCanonicalString()
    {
        string origin = File is null ? "rlsc" : Line is int l ? $"{File}({l})" : File;
        return $"{origin}: error {Code}: {Message}";
    }
}
