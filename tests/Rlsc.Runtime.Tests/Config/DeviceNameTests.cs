using Rlsc.Core;
using Rlsc.Core.Config;
using Rlsc.Runtime.Model;

namespace Rlsc.Runtime.Tests.Config;

/// <summary>One spelling of the device for every front door, with auto accepted everywhere.</summary>
public class DeviceNameTests
{
    [TestCase("auto", "auto")]
    [TestCase("CPU", "cpu")]
    [TestCase(" cuda ", "cuda")]
    [TestCase("cuda:1", "cuda:1")]
    public void Accepted_spellings_parse_to_one_form(string text, string expected) =>
        Assert.That(DeviceName.Parse(text).ToString(), Is.EqualTo(expected));

    [TestCase("tpu")]
    [TestCase("cuda:x")]
    [TestCase("cuda:-1")]
    [TestCase("")]
    public void Other_spellings_are_RLSC001_listing_the_accepted_ones(string text)
    {
        var error = Assert.Throws<RlscException>(() => DeviceName.Parse(text, "--device"))!;
        Assert.That(error.Code, Is.EqualTo(ErrorCodes.InvalidArgument));
        Assert.That(error.Message, Does.Contain("--device").And.Contain(DeviceName.Accepted));
    }

    [Test]
    public void Auto_resolves_to_cuda_only_when_it_is_available()
    {
        Assert.That(DeviceName.Auto.Resolve(cudaAvailable: true), Is.EqualTo(DeviceName.Cuda));
        Assert.That(DeviceName.Auto.Resolve(cudaAvailable: false), Is.EqualTo(DeviceName.Cpu));
        Assert.That(DeviceName.Parse("cuda:1").Resolve(cudaAvailable: false).ToString(), Is.EqualTo("cuda:1"));
    }

    [Test]
    public void Model_loading_accepts_auto_and_uses_the_cpu_without_cuda()
    {
        // auto is cuda (in the checkpoint's dtype) where this process has CUDA, else the CPU in float32.
        bool cuda = TorchSharp.torch.cuda.is_available();
        var options = ModelLoadOptions.ForDevice("auto", dtype: null);
        Assert.That(options, Is.EqualTo(cuda ? new ModelLoadOptions("cuda", "auto") : new ModelLoadOptions("cpu", "float32")));
        var expected = cuda ? TorchSharp.DeviceType.CUDA : TorchSharp.DeviceType.CPU;
        Assert.That(options.ResolveDevice().type, Is.EqualTo(expected));
        Assert.That(new ModelLoadOptions("auto").ResolveDevice().type, Is.EqualTo(expected));
    }
}
