using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Rlsc.Core.IO;

namespace Rlsc.Runtime.Demo.ArithmeticTask;

/// <summary>
/// Writes the arith task into a folder: test.jsonl (id, question, answer, solution), train.jsonl (id, question:
/// unlabeled, the answer is not in the file), warmup.jsonl (id, prompt, completion, slips) and task.json (the
/// options, the files' sha256 and line counts, and how noisy the warm-up solutions came out). Every file is
/// written under a temporary name and renamed.
/// </summary>
public static class ArithmeticTaskWriter
{
    public const string TestFile = "test.jsonl";
    public const string TrainFile = "train.jsonl";
    public const string WarmupFile = "warmup.jsonl";
    public const string TaskFile = "task.json";
    public const string SchemaId = "rlsc.demo.task/v1";

    static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes the files and returns the path of task.json.</summary>
    public static string Write(string folder, ArithmeticTaskOptions options, ArithmeticTask task)
    {
        Directory.CreateDirectory(folder);
        var files = new List<(string Name, byte[] Bytes, int Lines)>
        {
            Jsonl(TestFile, task.Test, (w, p) =>
            {
                w.WriteString("id", p.Id);
                w.WriteString("question", p.Question);
                w.WriteString("answer", p.Answer.ToString(System.Globalization.CultureInfo.InvariantCulture));
                w.WriteString("solution", WorkedSolution.Write(p.Steps).Text);
            }),
            Jsonl(TrainFile, task.Train, (w, p) =>
            {
                w.WriteString("id", p.Id);
                w.WriteString("question", p.Question);
            }),
            Jsonl(WarmupFile, task.Warmup, (w, e) =>
            {
                w.WriteString("id", e.Problem.Id);
                w.WriteString("prompt", e.Problem.Question);
                w.WriteString("completion", e.Solution.Text);
                w.WriteNumber("slips", e.Solution.SlipCount);
            }),
        };
        foreach (var (name, bytes, _) in files)
            AtomicFile.Write(Path.Combine(folder, name), s => s.Write(bytes));

        string taskPath = Path.Combine(folder, TaskFile);
        AtomicFile.Write(taskPath, s => s.Write(Summary(options, task, files)));
        return taskPath;
    }

    static (string, byte[], int) Jsonl<T>(string name, IReadOnlyList<T> items, Action<Utf8JsonWriter, T> fields)
    {
        using var buffer = new MemoryStream();
        foreach (var item in items)
        {
            using (var w = new Utf8JsonWriter(buffer, WriterOptions))
            {
                w.WriteStartObject();
                fields(w, item);
                w.WriteEndObject();
            }
            buffer.WriteByte((byte)'\n');
        }
        return (name, buffer.ToArray(), items.Count);
    }

    static byte[] Summary(ArithmeticTaskOptions options, ArithmeticTask task, List<(string Name, byte[] Bytes, int Lines)> files)
    {
        int withSlip = task.Warmup.Count(e => e.Solution.SlipCount > 0);
        int wrongAnswer = task.Warmup.Count(e => e.Solution.WrittenAnswer != e.Problem.Answer);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = WriterOptions.Encoder }))
        {
            w.WriteStartObject();
            w.WriteString("schema", SchemaId);
            w.WriteString("generator", "rlsc demo make-task (src/Rlsc.Runtime/Demo/ArithmeticTask)");
            w.WriteNumber("seed", options.Seed);
            w.WriteNumber("test_count", options.TestCount);
            w.WriteNumber("train_count", options.TrainCount);
            w.WriteNumber("warmup_count", options.WarmupCount);
            w.WriteNumber("slip_rate", options.SlipRate);
            w.WriteStartObject("warmup_noise");
            w.WriteNumber("solutions_with_a_slip", Fraction(withSlip, task.Warmup.Count));
            w.WriteNumber("solutions_with_a_wrong_answer", Fraction(wrongAnswer, task.Warmup.Count));
            w.WriteEndObject();
            w.WriteStartObject("templates");
            foreach (var group in task.Test.Concat(task.Train).Concat(task.Warmup.Select(e => e.Problem)).GroupBy(p => p.Template).OrderBy(g => g.Key, StringComparer.Ordinal))
                w.WriteNumber(group.Key, group.Count());
            w.WriteEndObject();
            w.WriteStartObject("files");
            foreach (var (name, bytes, lines) in files)
            {
                w.WriteStartObject(name);
                w.WriteNumber("lines", lines);
                w.WriteNumber("bytes", bytes.Length);
                w.WriteString("sha256", Convert.ToHexStringLower(SHA256.HashData(bytes)));
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    static double Fraction(int count, int total) => total == 0 ? 0 : Math.Round((double)count / total, 4);
}
