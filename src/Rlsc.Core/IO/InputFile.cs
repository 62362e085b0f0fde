namespace Rlsc.Core.IO;

/// <summary>
/// Reads a file the program was pointed at, failing closed with the caller's error code: a missing file says what to
/// do instead (<paramref name="missingHint"/>), an unreadable one says why; both name the file. Never a bare
/// FileNotFoundException or IOException from a reader that decides a verdict.
/// </summary>
public static class InputFile
{
    /// <param name="what">What the file is, for the message: "the evaluation summary".</param>
    /// <param name="missingHint">What to do when it does not exist, after "does not exist: ".</param>
    public static byte[] ReadAllBytes(string path, string code, string what, string missingHint)
    {
        if (!File.Exists(path)) throw new RlscException(code, $"{what} does not exist: {missingHint}", path);
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RlscException(code, $"{what} cannot be read: {e.Message}", path, inner: e);
        }
    }
}
