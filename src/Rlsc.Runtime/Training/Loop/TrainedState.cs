using Rlsc.Core;
using Rlsc.Core.Config;
using Rlsc.Core.Hub;
using Rlsc.Runtime.Model;
using Rlsc.Runtime.Training.Policy;
using TorchSharp.Modules;

namespace Rlsc.Runtime.Training.Loop;

/// <summary>
/// What a run trains and checkpoints: the model (with LoRA adapters when configured) and the optimizer. Loaded
/// fresh, or restored from a checkpoint: full fine-tuning from the checkpoint's own weights, LoRA from the base
/// model plus the saved adapters (merged weights cannot be un-merged exactly).
/// </summary>
sealed class TrainedState : IDisposable
{
    TrainedState(ITrainableModel model, LoraAttachment? lora, TrainerOptimizer optimizer)
    {
        Model = model;
        Lora = lora;
        Optimizer = optimizer;
    }

    public ITrainableModel Model { get; }
    public LoraAttachment? Lora { get; }
    public TrainerOptimizer Optimizer { get; }

    public static TrainedState Load(IRunConfig config, Checkpoint? from, ModelPlacement placement,
        Func<string, ModelPlacement, ITrainableModel> load, CancellationToken cancellation)
    {
        string path = from is not null && !config.Lora.Enabled ? from.Directory : ModelSource.Resolve(config.Model, cancellation: cancellation);
        var model = load(path, placement);
        LoraAttachment? lora = null;
        try
        {
            IEnumerable<Parameter> trainable;
            if (config.Lora.Enabled)
            {
                lora = LoraAttachment.Attach(model.Module, config.Lora, config.Seed);
                if (from is not null)
                {
                    if (!from.State.LoraModules.SequenceEqual(lora.ModuleNames))
                        throw new RlscException(ErrorCodes.CheckpointUnreadable, "the checkpoint's LoRA adapters target other modules than this model has.", from.Directory);
                    lora.Load(from.AdaptersFile);
                }
                trainable = lora.Parameters();
            }
            else
            {
                foreach (var p in model.Module.parameters()) p.requires_grad = true;
                trainable = model.Module.parameters();
            }
            var optimizer = new TrainerOptimizer(trainable, config.Optimizer);
            if (from is not null) optimizer.Load(from.OptimizerFile);
            return new TrainedState(model, lora, optimizer);
        }
        catch
        {
            lora?.Dispose();
            model.Dispose();
            throw;
        }
    }

    /// <summary>The weights as a Hugging Face checkpoint, with the adapters merged in.</summary>
    public void WriteModel(string directory)
    {
        if (Lora is null) Model.Save(directory);
        else Lora.WithMerged(() => Model.Save(directory));
    }

    /// <summary>What resume needs beside the weights: the optimizer state and the adapters.</summary>
    public void WriteResumeState(string directory)
    {
        Optimizer.Save(Path.Combine(directory, TrainerState.OptimizerFileName));
        Lora?.Save(Path.Combine(directory, TrainerState.AdaptersFileName));
    }

    public void Dispose()
    {
        Optimizer.Dispose();
        Lora?.Dispose();
        Model.Dispose();
    }
}
