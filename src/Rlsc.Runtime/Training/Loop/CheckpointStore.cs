using System.Text.Json;
using System.Text.RegularExpressions;
using Rlsc.Core;
using Rlsc.Core.IO;

namespace Rlsc.Runtime.Training.Loop;

/// <summary>
/// checkpoints/step-N and checkpoints/final of a run folder. A checkpoint is assembled in a temporary folder
/// (weights in Hugging Face format, optimizer state, adapters, trainer_state.json last) and renamed into place,
/// so a checkpoint folder that exists is complete: a crash or a kill leaves at most a temporary folder, which
/// the next start deletes.
/// </summary>
public sealed partial class CheckpointStore(string checkpointsDirectory)
{
    public const string FinalName = "final";

    public string Root { get; } = checkpointsDirectory;

    public string StepDirectory(int step) => Path.Combine(Root, $"step-{step}");

    public string FinalDirectory => Path.Combine(Root, FinalName);

    /// <summary>
    /// Writes a checkpoint. <paramref name="writeModel"/> saves the model (Hugging Face files) into the folder
    /// it is given; <paramref name="writeExtras"/> adds optimizer state and adapters.
    /// </summary>
    public Checkpoint Save(string name, TrainerState state, Action<string> writeModel, Action<string> writeExtras)
    {
        Directory.CreateDirectory(Root);
        string target = Path.Combine(Root, name);
        string temp = Path.Combine(Root, $".tmp-{name}-{Environment.ProcessId}");
        if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        writeModel(temp);
        Directory.CreateDirectory(temp);
        writeExtras(temp);
        state.SavedAt = DateTimeOffset.UtcNow;
        AtomicFile.WriteAllText(Path.Combine(temp, TrainerState.FileName), JsonSerializer.Serialize(state, RlscJson.Output) + "\n");

        if (Directory.Exists(target))
        {
            // Replacing a checkpoint of the same name: move the old one aside first so one of the two is always whole.
            string old = Path.Combine(Root, $".old-{name}-{Environment.ProcessId}");
            if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
            Directory.Move(target, old);
            Directory.Move(temp, target);
            Directory.Delete(old, recursive: true);
        }
        else
        {
            Directory.Move(temp, target);
        }
        return new Checkpoint(target, state);
    }

    /// <summary>The checkpoint with the most steps (final counts as its step), or null.</summary>
    public Checkpoint? Latest()
    {
        if (!Directory.Exists(Root)) return null;
        Checkpoint? best = null;
        foreach (string dir in Directory.EnumerateDirectories(Root))
        {
            string name = Path.GetFileName(dir);
            if (name != FinalName && !StepName().IsMatch(name)) continue;
            var checkpoint = Read(dir);
            if (best is null || checkpoint.State.Step > best.State.Step || (checkpoint.State.Step == best.State.Step && name == FinalName))
                best = checkpoint;
        }
        return best;
    }

    /// <summary>Reads a checkpoint's trainer state; a folder without a readable one is reported, not skipped.</summary>
    public static Checkpoint Read(string dir)
    {
        string file = Path.Combine(dir, TrainerState.FileName);
        if (!File.Exists(file))
            throw new RlscException(ErrorCodes.CheckpointUnreadable,
                $"{TrainerState.FileName} is missing, so this is not a checkpoint this program wrote; delete the folder or restore it.", dir);
        try
        {
            var state = JsonSerializer.Deserialize<TrainerState>(File.ReadAllBytes(file), RlscJson.Line)
                        ?? throw new JsonException("empty");
            if (state.Schema != TrainerState.SchemaId)
                throw new RlscException(ErrorCodes.CheckpointUnreadable, $"schema is '{state.Schema}', expected '{TrainerState.SchemaId}'.", file);
            return new Checkpoint(dir, state);
        }
        catch (JsonException e)
        {
            throw new RlscException(ErrorCodes.CheckpointUnreadable, "the trainer state is not valid JSON: " + e.Message, file, (int?)e.LineNumber + 1, e);
        }
    }

    /// <summary>
    /// Deletes temporary folders left by a process that was killed while saving: this store's own
    /// (`.tmp-step-N-pid`, `.old-final-pid`) and those of CheckpointWriter, which assembles
    /// the weights of `.tmp-step-N-pid` in a sibling `..tmp-step-N-pid.tmp-GUID` (or moves an old one to `.X.old-GUID`).
    /// </summary>
    public void DeleteLeftovers()
    {
        if (!Directory.Exists(Root)) return;
        foreach (string dir in Directory.EnumerateDirectories(Root))
        {
            string name = Path.GetFileName(dir);
            if (name.StartsWith(".tmp-", StringComparison.Ordinal) || name.StartsWith(".old-", StringComparison.Ordinal) || WriterLeftover().IsMatch(name))
                Directory.Delete(dir, recursive: true);
        }
    }

    [GeneratedRegex(@"^\..+\.(tmp|old)-[0-9a-f]{32}$")]
    private static partial Regex WriterLeftover();

    [GeneratedRegex(@"^step-\d+$")]
    private static partial Regex StepName();
}
