using Rlsc.Runtime.Platform;
using TorchSharp;

namespace Rlsc.Runtime.Tests.Platform;

/// <summary>
/// TF32 is LibTorch's global flag: set for CUDA devices, left alone for the CPU (where it changes nothing); and turned
/// off for an evaluation inside a training process (the fine-tune's before/after, in `rlsc eval`'s precision).
/// </summary>
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

    [Test]
    public void Float32ExactTurnsTf32OffAndRestoresWhatWasSet()
    {
        TorchLoader.EnsureLoaded();
        bool matmul = torch.backends.cuda.matmul.allow_tf32, cudnn = torch.backends.cudnn.allow_tf32;
        try
        {
            torch.backends.cuda.matmul.allow_tf32 = true;
            torch.backends.cudnn.allow_tf32 = true;
            using (CudaMatmulPrecision.Float32Exact())
            {
                Assert.That(torch.backends.cuda.matmul.allow_tf32, Is.False, "cuBLAS TF32 inside the scope");
                Assert.That(torch.backends.cudnn.allow_tf32, Is.False, "cuDNN TF32 inside the scope");
                Assert.That(CudaMatmulPrecision.IsTf32On("cuda"), Is.False, "what an evaluation records");
            }
            Assert.That(torch.backends.cuda.matmul.allow_tf32, Is.True);
            Assert.That(torch.backends.cudnn.allow_tf32, Is.True);
        }
        finally
        {
            torch.backends.cuda.matmul.allow_tf32 = matmul;
            torch.backends.cudnn.allow_tf32 = cudnn;
        }
    }
}
