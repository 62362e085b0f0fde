using System.Text;
using System.Text.Json;
using Rlsc.Core.IO;

namespace Rlsc.Runtime.Training.Loop;

/// <summary>
/// Appends one JSON object per line (metrics.jsonl, samples.jsonl), each line written whole and flushed, so a
/// reader tailing the file during training sees complete lines. On resume, lines of steps after the checkpoint
/// (and a torn last line of a killed process) are dropped by <see cref="TruncateAfterStep"/>.
/// </summary>
public sealed class JsonlWriter : IDisposable
{
    readonly FileStream stream;

    public JsonlWriter(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        FilePath = path;
    }

    public string FilePath { get; }

    public void Write<T>(T record)
    {
        byte[] line = JsonSerializer.SerializeToUtf8Bytes(record, RlscJson.Line);
        var buffer = new byte[line.Length + 1];
        line.CopyTo(buffer, 0);
        buffer[^1] = (byte)'\n';
        stream.Write(buffer);
        stream.Flush(flushToDisk: false);
    }

    public void Dispose() => stream.Dispose();

    /// <summary>
    /// Rewrites the file (atomically) keeping only complete lines whose "step" is at most
    /// <paramref name="step"/>: the log then matches the checkpoint a run resumes from.
    /// </summary>
    public static void TruncateAfterStep(string path, int step)
    {
        if (!File.Exists(path)) return;
        var kept = new StringBuilder();
        foreach (string line in File.ReadLines(path, Encoding.UTF8))
        {
            try
            {
                using var doc = JsonDocument.Parse(line);
                if (doc.RootElement.TryGetProperty("step", out var s) && s.TryGetInt32(out int lineStep) && lineStep <= step)
                    kept.Append(line).Append('\n');
            }
            catch (JsonException)
            {
                // A torn line from a killed process: drop it.
            }
        }
        AtomicFile.WriteAllText(path, kept.ToString());
    }
}
