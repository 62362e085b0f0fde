using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Rlsc.Runtime.Model.Modules;

/// <summary>
/// Builds Linear and Embedding modules with zero-filled weights, skipping TorchSharp's default initialisation:
/// its kaiming/normal draws cost ~20 s for a 1.5B model on CPU (and ~5 s for the 152K-row embedding even on the
/// meta device), only to be overwritten by a checkpoint or <see cref="ModelInitializer"/>. The module is built
/// at size 1 on the meta device and then given full-size parameters on the target device.
/// </summary>
internal static class Allocate
{
    static readonly Device Meta = new(DeviceType.META);

    public static Linear Linear(long inputs, long outputs, bool bias, Device device, ScalarType dtype)
    {
        var linear = nn.Linear(1, 1, hasBias: bias, device: Meta, dtype: dtype);
        linear.weight = new Parameter(zeros([outputs, inputs], dtype: dtype, device: device));  // (out, in)
        if (bias) linear.bias = new Parameter(zeros([outputs], dtype: dtype, device: device));
        linear.in_features = inputs;
        linear.out_features = outputs;
        return linear;
    }

    public static Embedding Embedding(long rows, long width, Device device, ScalarType dtype)
    {
        var embedding = nn.Embedding(1, 1, device: Meta, dtype: dtype);
        embedding.weight = new Parameter(zeros([rows, width], dtype: dtype, device: device));  // (V, C)
        return embedding;
    }
}
