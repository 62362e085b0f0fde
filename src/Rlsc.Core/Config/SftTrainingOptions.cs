namespace Rlsc.Core.Config;

/// <summary>The supervised training loop (section `training` of an sft configuration).</summary>
public sealed class SftTrainingOptions
{
    /// <summary>Passes over the examples, each in a new seeded random order.</summary>
    public int Epochs { get; set; } = 1;

    /// <summary>Examples per optimizer step (their gradients are accumulated).</summary>
    public int BatchSize { get; set; } = 8;

    /// <summary>Stop after this many optimizer steps (null: epochs x ceil(examples / batch_size)).</summary>
    public int? MaxSteps { get; set; }

    /// <summary>Memory budget of one forward/backward pass in tokens, as for finetune.</summary>
    public int MicroBatchTokens { get; set; } = 4096;

    /// <summary>Save a checkpoint every K steps (0: only at the end).</summary>
    public int CheckpointEvery { get; set; } = 100;
}
