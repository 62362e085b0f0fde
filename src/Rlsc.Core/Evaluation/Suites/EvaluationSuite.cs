using System.Text.Json;
using Rlsc.Core.Data;

namespace Rlsc.Core.Evaluation.Suites;

/// <summary>A loaded suite: its manifest, the verified data file and its problems in file order.</summary>
public sealed class EvaluationSuite
{
    EvaluationSuite(SuiteManifest manifest, string dataPath, string dataSha256, IReadOnlyList<SuiteProblem> problems)
    {
        Manifest = manifest;
        DataPath = dataPath;
        DataSha256 = dataSha256;
        Problems = problems;
    }

    public SuiteManifest Manifest { get; }
    public string Name => Manifest.Name;
    public string DataPath { get; }
    public string DataSha256 { get; }
    public IReadOnlyList<SuiteProblem> Problems { get; }

    /// <summary>
    /// Resolves and reads the suite's data. Errors: sha256 mismatch (RLSC006), a malformed line or missing field
    /// (RLSC032, with file and line), an empty suite or a count other than the manifest's (RLSC033).
    /// With <paramref name="requireGold"/> false, gold answers are not read at all (training on questions only).
    /// </summary>
    public static EvaluationSuite Load(SuiteManifest manifest, bool requireGold = true, HttpClient? http = null, CancellationToken cancellation = default)
    {
        if (requireGold && manifest.Gold is null)
            throw new RlscException(ErrorCodes.SuiteManifestInvalid,
                $"suite '{manifest.Name}' has no gold rule (an unlabeled split), so it cannot be evaluated. Add a \"gold\" block or evaluate another suite.",
                manifest.ManifestPath);
        var (path, sha256) = ResolveData(manifest, http, cancellation);
        var problems = ReadProblems(manifest, path, requireGold);
        if (problems.Count == 0)
            throw new RlscException(ErrorCodes.SuiteCountMismatch, $"suite '{manifest.Name}' is empty: its data file has no problems.", path);
        if (manifest.Data.Count is int expected && expected != problems.Count)
            throw new RlscException(ErrorCodes.SuiteCountMismatch,
                $"suite '{manifest.Name}' has {problems.Count} problems, but its manifest (data.count) says {expected}: the file is not the expected one.", path);
        return new EvaluationSuite(manifest, path, sha256, problems);
    }

    /// <summary>The local file of a suite's data and its sha256: mirror → cache → verified download, or the repository file.</summary>
    public static (string Path, string Sha256) ResolveData(SuiteManifest manifest, HttpClient? http = null, CancellationToken cancellation = default)
    {
        if (manifest.Data.LocalPath is { } local)
        {
            string root = manifest.ManifestPath.StartsWith("embedded:", StringComparison.Ordinal)
                ? DataMirror.FindCheckoutRoot(Environment.CurrentDirectory) ?? Environment.CurrentDirectory
                : DataMirror.FindCheckoutRoot(Path.GetDirectoryName(manifest.ManifestPath)!) ?? Path.GetDirectoryName(manifest.ManifestPath)!;
            string path = Path.GetFullPath(Path.Combine(root, local));
            if (!File.Exists(path))
                throw new RlscException(ErrorCodes.FileNotFound,
                    $"suite '{manifest.Name}': data.local_path {local} does not exist (looked in {root}).", manifest.ManifestPath);
            if (manifest.Data.Sha256 is { } expected) DataFiles.Verify(path, expected);
            return (path, manifest.Data.Sha256 ?? DataFiles.Sha256Of(path));
        }
        var source = new DataSource(manifest.MirrorPath, manifest.Data.Url!, manifest.Data.Sha256!);
        return (DataFiles.Resolve(source, http, cancellation), manifest.Data.Sha256!);
    }

    static List<SuiteProblem> ReadProblems(SuiteManifest manifest, string path, bool requireGold)
    {
        var problems = new List<SuiteProblem>();
        int lineNumber = 0;
        bool sawBlank = false;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) { sawBlank = true; continue; }
            if (sawBlank)
                throw new RlscException(ErrorCodes.SuiteDataInvalid,
                    "a blank line precedes this one: every line must hold one JSON object, because a problem's index is its line number.", path, lineNumber - 1);
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(line);
            }
            catch (JsonException e)
            {
                throw new RlscException(ErrorCodes.SuiteDataInvalid, $"not valid JSON: {e.Message}", path, lineNumber, e);
            }
            using (document)
            {
                var record = document.RootElement;
                if (record.ValueKind != JsonValueKind.Object)
                    throw new RlscException(ErrorCodes.SuiteDataInvalid, $"expected a JSON object, found {record.ValueKind}.", path, lineNumber);
                if (!record.TryGetProperty(manifest.QuestionField, out var question) || question.ValueKind != JsonValueKind.String
                    || string.IsNullOrWhiteSpace(question.GetString()))
                    throw new RlscException(ErrorCodes.SuiteDataInvalid,
                        $"field '{manifest.QuestionField}' (question_field of suite '{manifest.Name}') is missing or not a non-empty string.", path, lineNumber);
                string? gold = null;
                double? tolerance = null;
                if (requireGold && manifest.Gold is { } rule)
                {
                    var (value, error) = rule.Extract(record);
                    gold = value ?? throw new RlscException(ErrorCodes.SuiteDataInvalid, $"no gold answer: {error} (suite '{manifest.Name}', gold.rule {rule.Rule}).", path, lineNumber);
                    var (t, toleranceError) = rule.ExtractTolerance(record);
                    tolerance = toleranceError is null ? t : throw new RlscException(ErrorCodes.SuiteDataInvalid, toleranceError, path, lineNumber);
                }
                int index = problems.Count;
                string id = manifest.IdField is { } idField && record.TryGetProperty(idField, out var idValue) && idValue.ValueKind != JsonValueKind.Null
                    ? (idValue.ValueKind == JsonValueKind.String ? idValue.GetString()! : idValue.GetRawText())
                    : index.ToString(System.Globalization.CultureInfo.InvariantCulture);
                problems.Add(new SuiteProblem(index, id, question.GetString()!, gold, tolerance));
            }
        }
        return problems;
    }
}
