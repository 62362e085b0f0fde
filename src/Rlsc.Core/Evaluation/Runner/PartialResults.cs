using System.Text;
using System.Text.Json;
using Rlsc.Core.Evaluation.Reports;
using Rlsc.Core.IO;

namespace Rlsc.Core.Evaluation.Runner;

/// <summary>
/// Progress of a generating evaluation saved as it goes, so that an interrupted run resumes where it stopped:
/// &lt;output&gt;/partial/run.json (the settings that must match on --resume) and one &lt;suite&gt;.jsonl of finished
/// problem records, appended and flushed after each batch. Removed when the evaluation completes.
/// </summary>
public sealed class PartialResults
{
    public const string FolderName = "partial";
    readonly string _folder;

    PartialResults(string folder) => _folder = folder;

    /// <summary>Opens the partial folder: new (refusing a leftover without --resume), or resumed (settings must match).</summary>
    public static PartialResults Open(string outputFolder, string fingerprint, bool resume)
    {
        string folder = Path.Combine(outputFolder, FolderName);
        string runFile = Path.Combine(folder, "run.json");
        if (Directory.Exists(folder) && !resume)
            throw new RlscException(ErrorCodes.EvaluationInProgress,
                "this output folder holds an unfinished evaluation: rerun the same command with --resume, or delete its partial/ folder, or choose another --output.", folder);
        if (resume && File.Exists(runFile))
        {
            string saved = File.ReadAllText(runFile);
            if (saved != fingerprint)
                throw new RlscException(ErrorCodes.EvaluationInProgress,
                    $"--resume with other settings than the unfinished run: it was started with {saved}, now {fingerprint}. Rerun it with the same settings, or choose another --output.", runFile);
        }
        Directory.CreateDirectory(folder);
        AtomicFile.WriteAllText(runFile, fingerprint);
        return new PartialResults(folder);
    }

    public Dictionary<int, ProblemRecord> Load(string suite)
    {
        string path = SuiteFile(suite);
        var done = new Dictionary<int, ProblemRecord>();
        if (!File.Exists(path)) return done;
        foreach (string line in File.ReadLines(path))
        {
            // A line cut short by the interruption is simply redone.
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                var record = JsonSerializer.Deserialize<ProblemRecord>(line, RlscJson.Line);
                if (record is not null) done[record.Index] = record;
            }
            catch (JsonException)
            {
            }
        }
        return done;
    }

    public void Append(string suite, IEnumerable<ProblemRecord> records)
    {
        using var stream = new FileStream(SuiteFile(suite), FileMode.Append, FileAccess.Write, FileShare.Read);
        using (var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true))
            foreach (var record in records)
            {
                writer.Write(JsonSerializer.Serialize(record, RlscJson.Line));
                writer.Write('\n');
            }
        stream.Flush(flushToDisk: true);
    }

    public void Complete() => Directory.Delete(_folder, recursive: true);

    string SuiteFile(string suite) => Path.Combine(_folder, suite + ".jsonl");
}
