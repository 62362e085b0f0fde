using TorchSharp;
using static TorchSharp.torch;
using Rlsc.Core;
using Rlsc.Core.Config;
using Rlsc.Runtime.Model.Safetensors;

namespace Rlsc.Runtime.Model;

/// <summary>Where and in which precision a model lives.</summary>
/// <param name="Device">"cpu" (default: runs anywhere), "cuda", "cuda:N", or "auto" (CUDA when available, else the CPU).</param>
/// <param name="DType">"float32" (default: exact on every CPU), "bfloat16", "float16", or "auto" for config.json's
/// torch_dtype (bfloat16 for the released Qwen2.5-Math checkpoints: half the memory, the precision they were trained in).</param>
public sealed record ModelLoadOptions(string Device = "cpu", string DType = "float32")
{
    /// <summary>
    /// Options for a device as the commands take it: auto resolved here, and unless <paramref name="dtype"/> is given,
    /// float32 on the CPU (exact everywhere) and the checkpoint's own dtype on CUDA.
    /// </summary>
    public static ModelLoadOptions ForDevice(string device, string? dtype)
    {
        var name = DeviceName.Parse(device);
        if (name.IsAuto) name = name.Resolve(cuda.is_available());
        return new ModelLoadOptions(name.ToString(), dtype ?? (name.IsCuda ? "auto" : "float32"));
    }

    /// <summary>The TorchSharp device; RLSC001 for an unknown name or a CUDA device this machine lacks.</summary>
    public Device ResolveDevice()
    {
        var name = DeviceName.Parse(Device);
        if (name.IsAuto) name = name.Resolve(cuda.is_available());
        if (!name.IsCuda) return CPU;
        int index = name.Index ?? 0;
        if (!cuda.is_available())
            throw new RlscException(ErrorCodes.InvalidArgument,
                $"device '{Device}' was requested but CUDA is not available (this build or machine has no CUDA backend: build with -p:TorchDevice=cuda on a GPU machine, or use --device cpu).");
        if (index >= cuda.device_count())
            throw new RlscException(ErrorCodes.InvalidArgument, $"device '{Device}' does not exist; this machine has {cuda.device_count()} CUDA device(s).");
        return new Device(DeviceType.CUDA, index);
    }

    /// <summary>The weights' dtype; "auto" takes the config's torch_dtype.</summary>
    public ScalarType ResolveDType(ModelConfig config)
    {
        string name = DType.Trim().ToLowerInvariant();
        if (name == "auto") name = config.TorchDtype;
        return SafetensorsDType.ParseTorchDtype(name)
            ?? throw new RlscException(ErrorCodes.InvalidArgument, $"dtype '{DType}' is not valid; expected float32, bfloat16, float16 or auto.");
    }
}
