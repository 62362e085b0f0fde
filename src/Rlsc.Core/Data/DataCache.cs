namespace Rlsc.Core.Data;

/// <summary>
/// Where downloaded public data is kept: RLSC_CACHE, else $XDG_CACHE_HOME/rlsc, else ~/.cache/rlsc.
/// (Model checkpoints use the Hugging Face cache instead, so that runners share it with other tools.)
/// </summary>
public static class DataCache
{
    public const string EnvironmentVariable = "RLSC_CACHE";

    public static string Root()
    {
        string? configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured)) return Path.GetFullPath(configured);
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        string baseDir = !string.IsNullOrWhiteSpace(xdg) ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(baseDir, "rlsc");
    }
}
