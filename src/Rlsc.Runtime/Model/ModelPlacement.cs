using Rlsc.Core;
using Rlsc.Core.Config;
using TorchSharp;

namespace Rlsc.Runtime.Model;

/// <summary>The device and weight precision a run trains with, resolved from the configuration's auto values.</summary>
/// <param name="Device">"cpu" or "cuda".</param>
/// <param name="DType">"float32" or "bfloat16".</param>
public sealed record ModelPlacement(string Device, string DType)
{
    public static ModelPlacement Resolve(IRunConfig config)
    {
        bool cudaAvailable = torch.cuda.is_available();
        string device = config.Device switch
        {
            TrainingDevice.Cpu => "cpu",
            TrainingDevice.Cuda when cudaAvailable => "cuda",
            TrainingDevice.Cuda => throw new RlscException(ErrorCodes.TrainingDeviceUnavailable,
                "device cuda was requested but CUDA is not available here (no GPU, or a CPU-only build: build with -p:TorchDevice=cuda); run `rlsc doctor`, or pass --device cpu."),
            _ => cudaAvailable ? "cuda" : "cpu",
        };
        string dtype = config.Dtype switch
        {
            TrainingDType.Float32 => "float32",
            TrainingDType.Bfloat16 => "bfloat16",
            // Trained weights must be float32 (see FineTuneConfig.Dtype); frozen LoRA base weights on a GPU can be bfloat16.
            _ => config.Lora.Enabled && device == "cuda" ? "bfloat16" : "float32",
        };
        // Float32 weights on a GPU train with TF32 matmuls (PyTorch's "high" float32 matmul precision).
        Platform.CudaMatmulPrecision.EnableTf32For(device);
        return new ModelPlacement(device, dtype);
    }
}
