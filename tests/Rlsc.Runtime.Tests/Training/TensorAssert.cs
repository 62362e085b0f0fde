using static TorchSharp.torch;

namespace Rlsc.Runtime.Tests.Training;

static class TensorAssert
{
    /// <summary>Same shape and bit-identical values (TorchSharp's equal() is element-wise).</summary>
    public static bool Same(Tensor a, Tensor b) =>
        a.shape.SequenceEqual(b.shape) && a.dtype == b.dtype && a.equal(b).all().item<bool>();
}
