using System.Text;
using System.Text.Json;

namespace Rlsc.Core.Gate;

/// <summary>One problem's graded samples, as problems.jsonl records them.</summary>
public sealed record GradedProblem(int Index, IReadOnlyList<bool> Correct, bool MajorityCorrect);

/// <summary>
/// Reads the per-problem grades of one suite from the problems.jsonl beside a summary.json, for the paired
/// before/after test. Only `suite`, `index`, `correct` and `majority_correct` are read; each line must be one JSON
/// object without duplicate keys, and an index may appear once. Every problem is an RLSC183 naming file and line.
/// </summary>
public static class ProblemScores
{
    public const string FileName = "problems.jsonl";

    /// <summary>The problems.jsonl that the evaluation wrote next to <paramref name="summaryFile"/>.</summary>
    public static string FileBeside(string summaryFile) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(summaryFile))!, FileName);

    public static IReadOnlyDictionary<int, GradedProblem> Read(string file, string suite)
    {
        if (!File.Exists(file))
            throw Bad(file, null, $"the per-problem grades do not exist; the paired test needs the {FileName} that the evaluation writes beside summary.json.");
        var problems = new Dictionary<int, GradedProblem>();
        int lineNumber = 0;
        foreach (string line in File.ReadLines(file, Encoding.UTF8))
        {
            lineNumber++;
            if (line.Length == 0) continue;
            byte[] bytes = Encoding.UTF8.GetBytes(line);
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(bytes);
            }
            catch (JsonException e)
            {
                throw Bad(file, lineNumber, $"not valid JSON ({e.Message}).");
            }
            using (document)
            {
                try
                {
                    DuplicateKeyCheck.Check(bytes, file, ErrorCodes.GatePairedInputInvalid, allowComments: false);
                }
                catch (RlscException e)
                {
                    throw Bad(file, lineNumber, e.Message);
                }
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object
                    || !root.TryGetProperty("suite", out var suiteElement) || suiteElement.ValueKind != JsonValueKind.String)
                    throw Bad(file, lineNumber, "expected an object with `suite`, `index`, `correct` and `majority_correct`.");
                if (suiteElement.GetString() != suite) continue;
                if (!root.TryGetProperty("index", out var indexElement) || !indexElement.TryGetInt32(out int index) || index < 0)
                    throw Bad(file, lineNumber, "`index` must be a whole number of 0 or more.");
                if (!root.TryGetProperty("correct", out var correctElement) || correctElement.ValueKind != JsonValueKind.Array
                    || correctElement.GetArrayLength() == 0
                    || correctElement.EnumerateArray().Any(c => c.ValueKind is not (JsonValueKind.True or JsonValueKind.False)))
                    throw Bad(file, lineNumber, "`correct` must be a non-empty array of true/false, one per sample.");
                if (!root.TryGetProperty("majority_correct", out var majorityElement)
                    || majorityElement.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                    throw Bad(file, lineNumber, "`majority_correct` must be true or false.");
                if (problems.ContainsKey(index))
                    throw Bad(file, lineNumber, $"problem {index} of suite \"{suite}\" appears twice.");
                problems[index] = new GradedProblem(index,
                    correctElement.EnumerateArray().Select(c => c.GetBoolean()).ToList(), majorityElement.GetBoolean());
            }
        }
        return problems;
    }

    static RlscException Bad(string file, int? line, string message) =>
        new(ErrorCodes.GatePairedInputInvalid, message, file, line);
}
