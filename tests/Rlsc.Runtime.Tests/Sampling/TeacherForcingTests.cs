using Rlsc.Runtime.Tests.Model;
using TorchSharp;
using static TorchSharp.torch;
using Rlsc.Core;
using Rlsc.Runtime.Model.Modules;
using Rlsc.Runtime.Sampling;

namespace Rlsc.Runtime.Tests.Sampling;

public class TeacherForcingTests
{
    [Test]
    public void EqualsAFloat64ReferenceAndIgnoresPromptAndPadding()
    {
        using var scope = NewDisposeScope();
        var config = TinyModels.Config();
        using var module = TinyModels.Create(config, seed: 4, ScalarType.Float64);
        const float temperature = 0.6f;
        var pairs = new List<(int[], int[])> { ([3, 7, 1], [9, 2, 30]), ([5], [11, 12, 13, 14, 15]) };
        using var batch = TeacherForcing.Batch(pairs);
        Tensor lp;
        using (no_grad())
            lp = TeacherForcing.TokenLogProbs(module, batch.InputIds, batch.AttentionMask, batch.CompletionMask, temperature);
        Assert.That(lp.shape, Is.EqualTo(new long[] { 2, 6 }));

        var reference = new NaiveQwen2(config, module);
        for (int b = 0; b < pairs.Count; b++)
        {
            var (prompt, completion) = pairs[b];
            long[] ids = [.. prompt.Select(i => (long)i), .. completion.Select(i => (long)i)];
            var logits = reference.Forward(ids, ids.Select(_ => 1L).ToArray());
            for (int t = 0; t < 6; t++)
            {
                double expected = 0;
                if (t >= prompt.Length && t < ids.Length)
                {
                    var row = logits[t - 1]!.Select(v => v / temperature).ToArray();
                    double max = row.Max();
                    expected = row[ids[t]] - max - Math.Log(row.Sum(v => Math.Exp(v - max)));
                }
                Assert.That(lp[b, t].item<double>(), Is.EqualTo(expected).Within(1e-6), $"row {b} token {t}");  // rotary angles are float32, as in HF
            }
        }
    }

    [Test]
    public void LeftAndRightPaddingGiveTheSameScores()
    {
        using var scope = NewDisposeScope();
        using var module = TinyModels.Create(TinyModels.Config(), seed: 5);
        var ids = tensor(new long[] { 0, 0, 4, 5, 6, 7, 4, 5, 6, 7, 0, 0 }, [2, 6]);
        var mask = tensor(new long[] { 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0 }, [2, 6]);
        var completion = tensor(new long[] { 0, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0 }, [2, 6]);
        using var noGrad = no_grad();
        var lp = TeacherForcing.TokenLogProbs(module, ids, mask, completion, 1f);
        Assert.That(lp[0].narrow(0, 3, 3).allclose(lp[1].narrow(0, 1, 3), rtol: 0, atol: 1e-5));
        Assert.That(lp[1, 4].item<float>(), Is.Zero);
        Assert.That(lp[0, 0].item<float>(), Is.Zero);
    }

    [Test]
    public void GradientsFlowToEveryParameterAndMatchFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        using var module = TinyModels.Create(TinyModels.Config(tied: true), seed: 6, ScalarType.Float64);
        using var batch = TeacherForcing.Batch([([1, 2, 3], [4, 5]), ([7], [8, 9, 10])]);
        Tensor SumLogProb() => TeacherForcing.TokenLogProbs(module, batch.InputIds, batch.AttentionMask, batch.CompletionMask, 0.5f).sum();

        SumLogProb().backward();
        foreach (var (name, p) in module.named_parameters())
            Assert.That(p.grad is not null && p.grad.abs().sum().item<double>() > 0, $"{name} has a gradient");

        // d/dw of one q_proj weight entry, by central difference.
        var weight = module.model.layers[1].self_attn.q_proj.weight!;
        double analytic = weight.grad![2, 3].item<double>();
        const double h = 1e-6;
        double original = weight[2, 3].item<double>();
        using (no_grad())
        {
            weight[2, 3] = original + h;
            double plus = SumLogProb().item<double>();
            weight[2, 3] = original - h;
            double minus = SumLogProb().item<double>();
            weight[2, 3] = original;
            Assert.That(analytic, Is.EqualTo((plus - minus) / (2 * h)).Within(1e-6));
        }
    }

    [Test]
    public void ForwardHooksOnProjectionsApply()
    {
        // The trainer adds LoRA adapters as forward hooks on the Linear projections: the model must call them.
        using var scope = NewDisposeScope();
        using var module = TinyModels.Create(TinyModels.Config(), seed: 7);
        var ids = TinyModels.Ids(1, 5, 40, seed: 1);
        using var noGrad = no_grad();
        var before = module.call(new CausalLMInput(ids)).Logits!.clone();
        var hook = module.model.layers[0].mlp.down_proj.register_forward_hook((_, _, output) => output * 3);
        var hooked = module.call(new CausalLMInput(ids)).Logits!;
        Assert.That(hooked.allclose(before), Is.False);
        hook.remove();
        Assert.That(module.call(new CausalLMInput(ids)).Logits!.allclose(before));
    }

    [Test]
    public void ANonPositiveTemperatureIsAnError()
    {
        using var module = TinyModels.Create(TinyModels.Config(), seed: 8);
        using var batch = TeacherForcing.Batch([([1], [2])]);
        var e = Assert.Throws<RlscException>(() => TeacherForcing.TokenLogProbs(module, batch.InputIds, batch.AttentionMask, batch.CompletionMask, 0))!;
        Assert.That(e.Code, Is.EqualTo(ErrorCodes.InvalidArgument));
    }
}
