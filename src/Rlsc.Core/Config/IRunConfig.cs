namespace Rlsc.Core.Config;

/// <summary>What the shared run machinery (run folder, checkpoints, resume, devices) needs of a configuration.</summary>
public interface IRunConfig
{
    string Schema { get; }
    string Model { get; }
    string Output { get; }
    long Seed { get; }
    TrainingDevice Device { get; }
    TrainingDType Dtype { get; }
    OptimizationOptions Optimizer { get; }
    LoraOptions Lora { get; }
}
