using TorchSharp;
using static TorchSharp.torch;
using Rlsc.Runtime.Platform;

namespace Rlsc.Runtime.Tests.Platform;

/// <summary>
/// TorchSharp loads in this test project's own output folder (the build's native fix applied there)
/// and computes correct gradients.
/// </summary>
public class TorchSharpSmokeTests
{
    [Test]
    public void LoadsAndReportsTheNativeFix()
    {
        TorchLoader.EnsureLoaded();
        var env = TorchEnvironment.Collect();

        Assert.That(env.NativeFix.Library, Does.StartWith(TestContext.CurrentContext.TestDirectory),
            "libLibTorchSharp must come from this test project's own output folder");
        if (env.NativeFix.Needed)
            Assert.That(env.NativeFix.MarkedWeak, Is.True, env.NativeFix.Describe());
    }

    [Test]
    public void LinearLayerGradientsMatchFiniteDifferences()
    {
        // Float64 so that the central difference (error ~ h^2) is far below the tolerance.
        using var scope = NewDisposeScope();
        var generator = new Generator(seed: 1234);
        var layer = nn.Linear(5, 3, dtype: ScalarType.Float64);
        var input = randn([4, 5], dtype: ScalarType.Float64, generator: generator);
        var target = randn([4, 3], dtype: ScalarType.Float64, generator: generator);

        Tensor Loss() => (layer.forward(input).tanh() - target).pow(2).sum();
        Loss().backward();
        var analytic = layer.weight!.grad!.clone();

        const double h = 1e-6;
        using (no_grad())
        {
            for (int row = 0; row < 3; row++)
            for (int col = 0; col < 5; col++)
            {
                var w = layer.weight!;
                double original = w[row, col].item<double>();
                w[row, col] = original + h;
                double plus = Loss().item<double>();
                w[row, col] = original - h;
                double minus = Loss().item<double>();
                w[row, col] = original;
                double numeric = (plus - minus) / (2 * h);
                Assert.That(analytic[row, col].item<double>(), Is.EqualTo(numeric).Within(1e-6).Percent.Or.EqualTo(numeric).Within(1e-8),
                    $"d loss / d weight[{row},{col}]");
            }
        }
    }
}
