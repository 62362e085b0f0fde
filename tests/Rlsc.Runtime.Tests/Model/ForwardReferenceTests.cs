using static TorchSharp.torch;
using Rlsc.Runtime.Model.Modules;

namespace Rlsc.Runtime.Tests.Model;

/// <summary>The module's logits equal an independent float64 reference on random weights and random ids.</summary>
public class ForwardReferenceTests
{
    static readonly long[][] Masks =
    [
        [1, 1, 1, 1, 1, 1, 1],
        [0, 0, 1, 1, 1, 1, 1],  // left padding: positions must restart at the first real token
        [0, 0, 0, 0, 0, 1, 1],
    ];

    [TestCase(ScalarType.Float64, false, 4, 2, 1e-5)]
    [TestCase(ScalarType.Float32, false, 4, 2, 2e-4)]
    [TestCase(ScalarType.Float32, true, 4, 1, 2e-4)]   // tied embeddings, multi-query
    [TestCase(ScalarType.Float32, false, 4, 4, 2e-4)]  // plain multi-head
    public void LogitsMatchTheFloat64Reference(ScalarType dtype, bool tied, int heads, int kvHeads, double tolerance)
    {
        using var scope = NewDisposeScope();
        var config = TinyModels.Config(tied: tied, heads: heads, kvHeads: kvHeads);
        using var module = TinyModels.Create(config, seed: 7, dtype);
        var ids = TinyModels.Ids(Masks.Length, Masks[0].Length, config.VocabSize, seed: 11);
        var mask = tensor(Masks.SelectMany(m => m).ToArray(), [Masks.Length, Masks[0].Length]);

        Tensor logits;
        using (no_grad())
            logits = module.call(new CausalLMInput(ids, mask)).Logits!.to(ScalarType.Float64);

        var reference = new NaiveQwen2(config, module);
        double worst = 0;
        for (int b = 0; b < Masks.Length; b++)
        {
            var expected = reference.Forward(ids[b].data<long>().ToArray(), Masks[b]);
            for (int t = 0; t < Masks[b].Length; t++)
            {
                if (expected[t] is not double[] row) continue;
                var actual = logits[b, t].data<double>().ToArray();
                for (int v = 0; v < row.Length; v++) worst = Math.Max(worst, Math.Abs(actual[v] - row[v]));
            }
        }
        Assert.That(worst, Is.LessThan(tolerance), "max |logit - reference|");
        Assert.That(logits.abs().max().item<double>(), Is.GreaterThan(0.5), "logits must not be trivially small");
    }

    [Test]
    public void LlamaWithAttentionBiasMatchesTheReference()
    {
        using var scope = NewDisposeScope();
        var config = TinyModels.Config(architecture: "LlamaForCausalLM", attentionBias: true);
        using var module = TinyModels.Create(config, seed: 3, ScalarType.Float64);
        Assert.That(module.named_parameters().Select(p => p.name), Does.Contain("model.layers.0.self_attn.o_proj.bias"));
        var ids = TinyModels.Ids(1, 5, config.VocabSize, seed: 5);
        Tensor logits;
        using (no_grad()) logits = module.call(new CausalLMInput(ids)).Logits!;
        var expected = new NaiveQwen2(config, module).Forward(ids[0].data<long>().ToArray(), [1, 1, 1, 1, 1]);
        for (int t = 0; t < 5; t++)
            Assert.That(logits[0, t].data<double>().ToArray(), Is.EqualTo(expected[t]).Within(1e-5));
    }

    [Test]
    public void BFloat16LogitsStayCloseToFloat32()
    {
        using var scope = NewDisposeScope();
        var config = TinyModels.Config();
        using var f32 = TinyModels.Create(config, seed: 9);
        using var bf16 = TinyModels.Create(config, seed: 9, ScalarType.BFloat16);
        var ids = TinyModels.Ids(2, 6, config.VocabSize, seed: 2);
        using var noGrad = no_grad();
        var a = f32.call(new CausalLMInput(ids)).Logits!;
        var b = bf16.call(new CausalLMInput(ids)).Logits!;
        Assert.That(b.dtype, Is.EqualTo(ScalarType.BFloat16));
        // bf16 keeps 8 bits of mantissa: a few percent of the logits' scale.
        double scale = a.abs().max().item<float>();
        Assert.That((a - b.to(ScalarType.Float32)).abs().max().item<float>(), Is.LessThan(0.1 * scale));
    }
}
