using Rlsc.Runtime.Training.Policy;
using Rlsc.Runtime.Training.Loop;
using Rlsc.Runtime.Training.Rlsc;
using Rlsc.Core.Config;
using Rlsc.Core;
using Rlsc.Runtime.Model;
using Rlsc.Runtime.Model.Modules;

namespace Rlsc.Runtime.Training.Plan;

/// <summary>`rlsc finetune --plan`: the memory plans of a run configuration, full fine-tuning and LoRA, without running it.</summary>
public static class MemoryPlanReport
{
    /// <param name="config">The effective run configuration; its model must be a local folder with config.json.</param>
    /// <param name="promptTokens">Typical prompt length, template included.</param>
    /// <param name="deviceGib">Device memory; null: this machine's memory for cpu, 80 GiB for cuda.</param>
    public static string For(FineTuneConfig config, int promptTokens, double? deviceGib)
    {
        string configFile = Directory.Exists(config.Model) ? Path.Combine(config.Model, "config.json") : config.Model;
        if (!File.Exists(configFile))
            throw new RlscException(ErrorCodes.InvalidArgument, $"--plan reads the model's config.json; '{config.Model}' is not a local model folder (fetch it first: rlsc fetch-model).");
        var model = ModelConfig.Load(configFile);
        bool cuda = config.Device == TrainingDevice.Cuda;
        long device = deviceGib is double g ? (long)(g * (1L << 30)) : cuda ? 80L << 30 : MemoryPlanner.MachineMemoryBytes();
        // Trained weights are float32; LoRA's frozen base weights are bfloat16 on a GPU unless the dtype says otherwise.
        int loraWeightBytes = config.Dtype == TrainingDType.Bfloat16 || (config.Dtype == TrainingDType.Auto && cuda) ? 2 : 4;
        var w = new StringWriter();
        w.WriteLine($"{config.Model}: {model.ParameterCount / 1e6:0.#}M parameters; {config.Training.QuestionsPerStep} question(s) x {config.Sampling.SamplesPerQuestion} samples x " +
                    $"{config.Sampling.MaxNewTokens} new tokens, prompts ~{promptTokens} tokens, micro-batch {config.Training.MicroBatchTokens} tokens, {(cuda ? "cuda" : "cpu")}.");
        w.WriteLine();
        w.Write(MemoryPlanner.Table(MemoryPlanner.Estimate(model, config, lora: false, promptTokens, weightBytes: 4, device, cuda)));
        w.WriteLine();
        w.Write(MemoryPlanner.Table(MemoryPlanner.Estimate(model, config, lora: true, promptTokens, loraWeightBytes, device, cuda)));
        return w.ToString();
    }
}
