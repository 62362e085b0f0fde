using System.Text;
using System.Text.Json;
using Rlsc.Core.IO;

namespace Rlsc.Core.Evaluation.Reports;

/// <summary>
/// An evaluation's output folder: problems.jsonl (one <see cref="ProblemRecord"/> per line, suites in evaluation
/// order, problems by index), report.md and summary.json. Each file is written atomically; summary.json last, so
/// its presence means the folder is complete.
/// </summary>
public static class EvaluationOutput
{
    public const string ProblemsFile = "problems.jsonl";
    public const string ReportFile = "report.md";

    public static void Write(string folder, EvaluationSummary summary, IEnumerable<ProblemRecord> problems)
    {
        Directory.CreateDirectory(folder);
        WriteProblems(Path.Combine(folder, ProblemsFile), problems);
        AtomicFile.WriteAllText(Path.Combine(folder, ReportFile), MarkdownReport.Render(summary));
        summary.Save(Path.Combine(folder, EvaluationSummary.FileName));
    }

    /// <summary>
    /// Copies a finished evaluation (`rlsc eval --reuse`) into <paramref name="to"/> as if it had been evaluated
    /// there: each file written atomically, summary.json last, so that a copy cut short is never a finished folder.
    /// </summary>
    public static void CopyFinished(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in new[] { ProblemsFile, ReportFile, EvaluationSummary.FileName })
        {
            byte[] bytes = File.ReadAllBytes(Path.Combine(from, file));
            AtomicFile.Write(Path.Combine(to, file), stream => stream.Write(bytes));
        }
    }

    public static void WriteProblems(string path, IEnumerable<ProblemRecord> problems) => AtomicFile.Write(path, stream =>
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        foreach (var problem in problems)
        {
            writer.Write(JsonSerializer.Serialize(problem, RlscJson.Line));
            writer.Write('\n');
        }
    });

    /// <summary>Reads problems.jsonl; a malformed line is RLSC003 with file and line.</summary>
    public static List<ProblemRecord> ReadProblems(string path)
    {
        if (!File.Exists(path))
            throw new RlscException(ErrorCodes.FileNotFound, $"{ProblemsFile} is missing beside the summary: copy the whole evaluation folder.", path);
        var records = new List<ProblemRecord>();
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                records.Add(JsonSerializer.Deserialize<ProblemRecord>(line, RlscJson.Line)
                    ?? throw new JsonException("null record"));
            }
            catch (JsonException e)
            {
                throw new RlscException(ErrorCodes.MalformedData, $"not a problem record: {e.Message}", path, lineNumber, e);
            }
        }
        return records;
    }

    /// <summary>The folder of an evaluation output named by its folder or its summary.json.</summary>
    public static string FolderOf(string folderOrSummary) =>
        Directory.Exists(folderOrSummary) ? Path.GetFullPath(folderOrSummary) : Path.GetDirectoryName(Path.GetFullPath(folderOrSummary))!;
}
