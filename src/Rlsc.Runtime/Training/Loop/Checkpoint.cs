namespace Rlsc.Runtime.Training.Loop;

/// <summary>A complete checkpoint folder of a run and its trainer state.</summary>
public sealed record Checkpoint(string Directory, TrainerState State)
{
    public string OptimizerFile => Path.Combine(Directory, TrainerState.OptimizerFileName);
    public string AdaptersFile => Path.Combine(Directory, TrainerState.AdaptersFileName);
}
