namespace Rlsc.Core.Data;

/// <summary>
/// Finds the local mirror of public data: a folder laid out like the project's `shared/` folder
/// (eval-data/&lt;suite&gt;/test.jsonl, models/qwen2.5-tokenizer/...).
/// Order: the RLSC_MIRROR environment variable; else a `shared` folder beside the RlscPipeline checkout
/// that the current directory or the running program is in. Null when there is none: data then comes from
/// the cache or the public source.
/// </summary>
public static class DataMirror
{
    public const string EnvironmentVariable = "RLSC_MIRROR";

    public static string? Locate()
    {
        string? configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            if (!Directory.Exists(configured))
                throw new RlscException(ErrorCodes.FileNotFound,
                    $"{EnvironmentVariable} is set to '{configured}', which is not a folder. Unset it or point it at a folder laid out like shared/ (eval-data/, models/).");
            return Path.GetFullPath(configured);
        }
        foreach (string start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            string? root = FindCheckoutRoot(start);
            string? shared = root is null ? null : Path.GetFullPath(Path.Combine(root, "..", "shared"));
            if (shared is not null && Directory.Exists(shared)) return shared;
        }
        return null;
    }

    /// <summary>The nearest ancestor folder holding RlscPipeline.sln, or null.</summary>
    public static string? FindCheckoutRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "RlscPipeline.sln"))) return dir.FullName;
        return null;
    }
}
