namespace Rlsc.Runtime.Training.Loop;

/// <summary>
/// trainer_state.json of a checkpoint: with the weights and the optimizer state beside it, everything a run
/// needs to continue bit for bit. Randomness needs no state here: every random choice is derived from the seed
/// and the step (<see cref="SeedMixer"/>).
/// </summary>
public sealed class TrainerState
{
    public const string SchemaId = "rlsc.trainer_state/v1";
    public const string FileName = "trainer_state.json";
    public const string OptimizerFileName = "optimizer.bin";
    public const string AdaptersFileName = "lora_adapters.bin";

    public string Schema { get; set; } = SchemaId;

    /// <summary>finetune or sft.</summary>
    public string Kind { get; set; } = "";

    /// <summary>Optimizer steps completed.</summary>
    public int Step { get; set; }

    /// <summary>Steps of the whole run.</summary>
    public int TotalSteps { get; set; }

    public long Seed { get; set; }

    /// <summary>Examples (questions, SFT pairs) handed out so far: the data order's position.</summary>
    public long ExamplesSeen { get; set; }

    public int Epoch { get; set; }

    /// <summary>The current epoch's example order, recomputed on resume and checked against this.</summary>
    public List<int> Permutation { get; set; } = [];

    /// <summary>sha256 of the effective configuration (config.json) the checkpoint was trained with.</summary>
    public string ConfigSha256 { get; set; } = "";

    /// <summary>sha256 of the training examples (their texts), so a resume on changed data is refused.</summary>
    public string DataSha256 { get; set; } = "";

    /// <summary>True when the weights beside this file have LoRA adapters merged in (they are in lora_adapters.bin).</summary>
    public bool Lora { get; set; }

    /// <summary>The projections that carry adapters, in the order of lora_adapters.bin.</summary>
    public List<string> LoraModules { get; set; } = [];

    /// <summary>Training time so far, summed over resumed sessions.</summary>
    public double ElapsedSeconds { get; set; }

    /// <summary>Tokens trained on (completion tokens through the loss) so far.</summary>
    public long TokensTrained { get; set; }

    /// <summary>Where the checkpoint was made ("cpu", "cuda"): bit-for-bit equality holds on the same hardware.</summary>
    public string Device { get; set; } = "";

    public DateTimeOffset SavedAt { get; set; }
}
