using System.Text.RegularExpressions;

namespace Rlsc.Core.Hub;

/// <summary>A model repository id on the hub: "Qwen/Qwen2.5-Math-7B" (or a legacy id without an owner, "gpt2").</summary>
public static partial class RepoId
{
    // The hub's rule: letters, digits, '-', '_', '.', at most 96 characters per part, no "--" or ".." and no
    // leading or trailing '-' or '.'.
    [GeneratedRegex(@"^(?:[A-Za-z0-9][A-Za-z0-9_.\-]{0,95}/)?[A-Za-z0-9][A-Za-z0-9_.\-]{0,95}$")]
    private static partial Regex Pattern();

    public static bool IsValid(string id) =>
        Pattern().IsMatch(id) && !id.Contains("--", StringComparison.Ordinal) && !id.Contains("..", StringComparison.Ordinal)
        && !id.Split('/').Any(part => part.EndsWith('-') || part.EndsWith('.'));

    /// <summary>The cache folder name of a model repository: models--Qwen--Qwen2.5-Math-7B.</summary>
    public static string CacheFolderName(string id) => "models--" + id.Replace("/", "--", StringComparison.Ordinal);
}
