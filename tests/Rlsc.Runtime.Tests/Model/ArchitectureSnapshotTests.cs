using System.Runtime.CompilerServices;
using TorchSharp;
using static TorchSharp.torch;
using Rlsc.Runtime.Model;
using Rlsc.Runtime.Model.Modules;
using Rlsc.Runtime.Platform;

namespace Rlsc.Runtime.Tests.Model;

/// <summary>
/// The real Qwen2.5-Math shapes built on the "meta" device (shapes only, no memory): every parameter's name and
/// shape equals the checkpoint layout, which Expected/*.parameters.txt spells out from the Hugging Face naming
/// scheme (written independently of the module).
/// </summary>
public class ArchitectureSnapshotTests
{
    [TestCase("qwen2.5-math-1.5b")]
    [TestCase("qwen2.5-math-7b")]
    public void ParameterNamesAndShapesMatchTheCheckpointLayout(string preset)
    {
        TorchLoader.EnsureLoaded();
        var config = ModelPresets.Get(preset).Config;
        using var module = new Qwen2ForCausalLM(config, new Device(DeviceType.META), ScalarType.BFloat16);
        var parameters = module.named_parameters().ToList();
        long total = parameters.Sum(p => p.parameter.numel());
        var actual = new List<string> { $"# {preset}: {parameters.Count} tensors, {total} parameters (bfloat16)" };
        actual.AddRange(parameters.Select(p => $"{p.name} [{string.Join(", ", p.parameter.shape)}]"));

        var expected = File.ReadAllLines(ExpectedFile(preset));
        Assert.That(actual, Is.EqualTo(expected));
        Assert.That(total, Is.EqualTo(config.ParameterCount), "ModelConfig.ParameterCount");
        Assert.That(parameters.All(p => p.parameter.is_meta && p.parameter.dtype == ScalarType.BFloat16));
    }

    static string ExpectedFile(string preset, [CallerFilePath] string source = "") =>
        Path.Combine(Path.GetDirectoryName(source)!, "Expected", preset + ".parameters.txt");
}
