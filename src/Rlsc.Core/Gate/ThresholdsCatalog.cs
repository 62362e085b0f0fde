namespace Rlsc.Core.Gate;

/// <summary>
/// Finds thresholds files: `eval-suites/thresholds/` of the repository (found by walking up from the current
/// folder, then from the program's folder), or RLSC_THRESHOLDS_DIR. A model is matched by its key (the file
/// name) or by its name (a file's `models` list).
/// </summary>
public static class ThresholdsCatalog
{
    public const string EnvironmentVariable = "RLSC_THRESHOLDS_DIR";
    public const string RelativeFolder = "eval-suites/thresholds";

    public static string DefaultDirectory()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } configured)
        {
            if (!Directory.Exists(configured))
                throw new RlscException(ErrorCodes.GateThresholdsInvalid,
                    $"{EnvironmentVariable} names a folder that does not exist.", file: configured);
            return configured;
        }
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, RelativeFolder);
                if (Directory.Exists(candidate)) return candidate;
            }
        throw new RlscException(ErrorCodes.GateThresholdsInvalid,
            $"cannot find {RelativeFolder}/ above {Directory.GetCurrentDirectory()}: run from the repository, " +
            $"set {EnvironmentVariable}, or pass --thresholds <file>.");
    }

    /// <summary>The thresholds files of a folder (every *.json except JSON schemas).</summary>
    public static IReadOnlyList<string> Files(string directory) =>
        Directory.EnumerateFiles(directory, "*.json")
            .Where(f => !f.EndsWith(".schema.json", StringComparison.OrdinalIgnoreCase))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();

    public static ModelThresholds ForKey(string directory, string modelKey)
    {
        if (modelKey.Length == 0 || modelKey.IndexOfAny(['/', '\\']) >= 0 || modelKey.Contains(".."))
            throw new RlscException(ErrorCodes.InvalidArgument,
                $"--model-key \"{modelKey}\" is not a key; keys are file names in {directory}: {Keys(directory)}.");
        string path = Path.Combine(directory, modelKey + ".json");
        if (!File.Exists(path))
            throw new RlscException(ErrorCodes.GateThresholdsInvalid,
                $"no thresholds for model key \"{modelKey}\"; the keys are: {Keys(directory)}.", file: path);
        return ThresholdsLoader.Load(path);
    }

    public static ModelThresholds ForModelName(string directory, string modelName)
    {
        var matches = Files(directory)
            .Select(ThresholdsLoader.Load)
            .Where(t => t.Models.Any(m => string.Equals(m, modelName, StringComparison.OrdinalIgnoreCase)))
            .ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new RlscException(ErrorCodes.GateThresholdsInvalid,
                $"no thresholds file lists the model \"{modelName}\" in `models`: pass --model-key (one of: {Keys(directory)}) or --thresholds <file>.",
                file: directory),
            _ => throw new RlscException(ErrorCodes.GateThresholdsInvalid,
                $"the model \"{modelName}\" is listed by several thresholds files ({string.Join(", ", matches.Select(m => m.ModelKey))}): pass --model-key.",
                file: directory),
        };
    }

    static string Keys(string directory) =>
        string.Join(", ", Files(directory).Select(Path.GetFileNameWithoutExtension));
}
