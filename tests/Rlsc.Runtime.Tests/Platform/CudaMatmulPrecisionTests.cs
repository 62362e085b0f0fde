using Rlsc.Runtime.Platform;
using TorchSharp;

namespace Rlsc.Runtime.Tests.Platform;

/// <summary>TF32 is LibTorch's global flag: set for CUDA devices, left alone for the CPU (where it changes nothing).</summary>
[NonParallelizable]
public class CudaMatmulPrecisionTests
{
    [Test]
    public void TurnsTf32OnForCudaDevicesOnly()
    {
        TorchLoader.EnsureLoaded();
        bool before = torch.backends.cuda.matmul.allow_tf32;
        try
        {
            torch.backends.cuda.matmul.allow_tf32 = false;
            Assert.That(CudaMatmulPrecision.EnableTf32For("cpu"), Is.False);
            Assert.That(torch.backends.cuda.matmul.allow_tf32, Is.False);
            Assert.That(CudaMatmulPrecision.EnableTf32For("cuda:0"), Is.True);
            Assert.That(torch.backends.cuda.matmul.allow_tf32, Is.True);
            Assert.That(torch.backends.cudnn.allow_tf32, Is.True);
        }
        finally
        {
            torch.backends.cuda.matmul.allow_tf32 = before;
        }
    }
}
