using System.Text.Json;
using Rlsc.Core.IO;

namespace Rlsc.Runtime.Training.Loop;

/// <summary>summary.json of a training run (schema rlsc.train.summary/v1), written whenever the run ends.</summary>
public sealed class RunSummary
{
    public const string SchemaId = "rlsc.train.summary/v1";

    public string Schema { get; set; } = SchemaId;

    /// <summary>finetune or sft.</summary>
    public string Kind { get; set; } = "";

    /// <summary>completed, interrupted or failed.</summary>
    public string Status { get; set; } = "";

    /// <summary>The error's code and message when the run failed or was interrupted.</summary>
    public string? Error { get; set; }

    public string Model { get; set; } = "";
    public int StepsCompleted { get; set; }
    public int Steps { get; set; }

    /// <summary>The final checkpoint (merged weights) relative to the run folder, when the run completed.</summary>
    public string? FinalCheckpoint { get; set; }

    /// <summary>The newest checkpoint of the run, relative to the run folder.</summary>
    public string? LastCheckpoint { get; set; }

    /// <summary>The command that continues this run, when it did not complete.</summary>
    public string? ResumeCommand { get; set; }

    public double Seconds { get; set; }

    /// <summary>Metrics of the last step.</summary>
    public Dictionary<string, double> LastMetrics { get; set; } = [];

    public DateTimeOffset FinishedAt { get; set; }

    /// <summary>Writes the summary atomically.</summary>
    public void Write(string file) => AtomicFile.WriteAllText(file, JsonSerializer.Serialize(this, RlscJson.Output) + "\n");

    /// <summary>A run folder's summary.json, or null when it is missing or unreadable.</summary>
    public static RunSummary? TryRead(string file)
    {
        try
        {
            return File.Exists(file) ? JsonSerializer.Deserialize<RunSummary>(File.ReadAllBytes(file), RlscJson.Line) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
