using System.Reflection;
using Rlsc.Core.Data;

namespace Rlsc.Core.Evaluation.Suites;

/// <summary>
/// Finds suite manifests. A `--suite` value is a path to a .json manifest, or a name looked up in order:
/// an explicit folder (--suites-dir), RLSC_SUITES, the eval-suites/ folder of the checkout around the current
/// directory or the program, and finally the manifests built into rlsc (so an installed tool works anywhere).
/// </summary>
public static class SuiteCatalog
{
    public const string EnvironmentVariable = "RLSC_SUITES";
    const string ResourcePrefix = "eval-suites/";

    public static IReadOnlyList<string> SearchFolders(string? suitesFolder = null)
    {
        var folders = new List<string>();
        if (!string.IsNullOrWhiteSpace(suitesFolder)) folders.Add(Path.GetFullPath(suitesFolder));
        string? configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured)) folders.Add(Path.GetFullPath(configured));
        foreach (string start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            if (DataMirror.FindCheckoutRoot(start) is { } root)
            {
                string folder = Path.Combine(root, "eval-suites");
                if (Directory.Exists(folder) && !folders.Contains(folder)) folders.Add(folder);
            }
        return folders;
    }

    /// <summary>The manifest for a name or a path; RLSC031 listing the known names when there is none.</summary>
    public static SuiteManifest Find(string nameOrPath, string? suitesFolder = null)
    {
        if (nameOrPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || nameOrPath.Contains('/') || nameOrPath.Contains('\\'))
            return SuiteManifest.Load(nameOrPath);
        foreach (string folder in SearchFolders(suitesFolder))
        {
            string path = Path.Combine(folder, nameOrPath + ".json");
            if (File.Exists(path)) return SuiteManifest.Load(path);
        }
        using (var embedded = typeof(SuiteCatalog).Assembly.GetManifestResourceStream(ResourcePrefix + nameOrPath + ".json"))
            if (embedded is not null)
                return SuiteManifest.Parse(embedded, "embedded:" + ResourcePrefix + nameOrPath + ".json", nameOrPath);
        throw new RlscException(ErrorCodes.SuiteNotFound,
            $"no suite named '{nameOrPath}'. Known suites: {string.Join(", ", KnownNames(suitesFolder))}. " +
            $"Pass a manifest path, --suites-dir, or set {EnvironmentVariable}.");
    }

    /// <summary>Several comma-separated names or paths ("math500,gsm8k"), in the order given, without duplicates.</summary>
    public static IReadOnlyList<SuiteManifest> FindAll(string commaSeparated, string? suitesFolder = null)
    {
        var names = commaSeparated.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length == 0)
            throw new RlscException(ErrorCodes.InvalidArgument, "--suite is empty; name one or more suites, e.g. --suite math500,gsm8k.");
        var manifests = names.Distinct(StringComparer.Ordinal).Select(n => Find(n, suitesFolder)).ToList();
        var duplicate = manifests.GroupBy(m => m.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new RlscException(ErrorCodes.InvalidArgument, $"suite '{duplicate.Key}' is named twice in --suite.");
        return manifests;
    }

    /// <summary>Names of every suite that <see cref="Find"/> can see (files that are not suite manifests are skipped).</summary>
    public static IReadOnlyList<string> KnownNames(string? suitesFolder = null)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string folder in SearchFolders(suitesFolder))
            foreach (string file in Directory.EnumerateFiles(folder, "*.json"))
                if (LooksLikeSuite(File.ReadAllText(file))) names.Add(Path.GetFileNameWithoutExtension(file));
        Assembly assembly = typeof(SuiteCatalog).Assembly;
        foreach (string resource in assembly.GetManifestResourceNames())
            if (resource.StartsWith(ResourcePrefix, StringComparison.Ordinal) && resource.EndsWith(".json", StringComparison.Ordinal))
            {
                using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
                if (LooksLikeSuite(reader.ReadToEnd())) names.Add(resource[ResourcePrefix.Length..^5]);
            }
        return names.ToList();
    }

    static bool LooksLikeSuite(string json) => json.Contains(SuiteManifest.SchemaV1, StringComparison.Ordinal);
}
