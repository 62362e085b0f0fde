using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Rlsc.Core;
using Rlsc.Core.Config;
using Rlsc.Runtime.Platform;
using Rlsc.Runtime.Training.Loop;

namespace Rlsc.Runtime.Tests.Training;

/// <summary>LoRA on a small module with projections named like Qwen2's; the real model is covered in TrainerTests.</summary>
public class LoraTests
{
    sealed class Block : nn.Module<Tensor, Tensor>
    {
        public readonly Linear q_proj, up_proj, lm_head;

        public Block() : base(nameof(Block))
        {
            q_proj = nn.Linear(6, 8);
            up_proj = nn.Linear(8, 5, hasBias: false);
            lm_head = nn.Linear(5, 4, hasBias: false);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x) => lm_head.call(up_proj.call(q_proj.call(x).tanh()));
    }

    [OneTimeSetUp]
    public void LoadTorch() => TorchLoader.EnsureLoaded();

    [Test]
    public void StartsAtTheBaseModelTrainsOnlyAdaptersAndMergeReproducesTheAdaptedForward()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var block = new Block();
        var x = randn(3, 6);
        var baseOutput = block.call(x).detach().clone();
        var baseWeights = block.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());

        using var lora = LoraAttachment.Attach(block, new LoraOptions { Enabled = true, Rank = 2, Alpha = 4, Targets = ["q_proj", "up_proj"] }, seed: 1);
        Assert.That(lora.ModuleNames, Is.EqualTo(new[] { "q_proj", "up_proj" }));
        Assert.That(block.parameters().Any(p => p.requires_grad), Is.False, "base weights frozen");
        Assert.That(TensorAssert.Same(block.call(x), baseOutput), Is.True, "B = 0: the adapted model starts as the base model");

        // One optimizer step on a random target: only adapters move.
        using var optimizer = new TrainerOptimizer(lora.Parameters(), new OptimizationOptions { LearningRate = 0.1, MaxGradNorm = 0 });
        var target = randn(3, 4);
        (block.call(x) - target).pow(2).sum().backward();
        optimizer.Step();
        foreach (var (name, p) in block.named_parameters())
            Assert.That(TensorAssert.Same(p, baseWeights[name]), Is.True, $"{name} must not change");
        Assert.That(lora.Parameters().All(p => p.abs().sum().item<float>() > 0), Is.True);

        var adapted = block.call(x).detach().clone();
        Assert.That(TensorAssert.Same(adapted, baseOutput), Is.False, "the adapters change the output");

        Tensor? merged = null;
        lora.WithMerged(() => merged = block.call(x).detach().clone());
        Assert.That((merged! - adapted).abs().max().item<float>(), Is.LessThan(1e-5f), "merged weights = base + adapters");
        foreach (var (name, p) in block.named_parameters())
            Assert.That(TensorAssert.Same(p, baseWeights[name]), Is.True, $"{name} restored bit for bit after the merge");
        Assert.That(TensorAssert.Same(block.call(x), adapted), Is.True, "hooks active again after the merge");
    }

    [Test]
    public void AdaptersSaveAndLoadExactly()
    {
        using var scope = NewDisposeScope();
        string file = Path.Combine(Path.GetTempPath(), $"lora-{Guid.NewGuid():N}.bin");
        try
        {
            var options = new LoraOptions { Enabled = true, Rank = 2, Targets = ["q_proj"] };
            using var first = LoraAttachment.Attach(new Block(), options, seed: 1);
            using (no_grad()) first.Parameters().Last().normal_();
            first.Save(file);
            using var second = LoraAttachment.Attach(new Block(), options, seed: 99);
            second.Load(file);
            Assert.That(first.Parameters().Zip(second.Parameters()).All(p => TensorAssert.Same(p.First, p.Second)), Is.True);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public void NoMatchingProjectionIsAClearError()
    {
        var e = Assert.Throws<RlscException>(() => LoraAttachment.Attach(new Block(), new LoraOptions { Targets = ["k_proj"] }, 1))!;
        Assert.That(e.Code, Is.EqualTo(ErrorCodes.LoraTargetsNotFound));
    }

    [Test]
    public void OptimizerStateSavedAndLoadedContinuesBitForBit()
    {
        using var scope = NewDisposeScope();
        string file = Path.Combine(Path.GetTempPath(), $"adamw-{Guid.NewGuid():N}.bin");
        try
        {
            manual_seed(5);
            var x = randn(4, 6);
            var target = randn(4, 4);
            var options = new OptimizationOptions { LearningRate = 0.01, MaxGradNorm = 0.5 };
            void Train(Block b, TrainerOptimizer o, int steps)
            {
                for (int i = 0; i < steps; i++)
                {
                    o.ZeroGrad();
                    (b.call(x) - target).pow(2).sum().backward();
                    o.ClipGradients();
                    o.Step();
                }
            }

            manual_seed(1);
            var straight = new Block();
            using var straightOpt = new TrainerOptimizer(straight.parameters(), options);
            Train(straight, straightOpt, 5);

            manual_seed(1);
            var first = new Block();
            using var firstOpt = new TrainerOptimizer(first.parameters(), options);
            Train(first, firstOpt, 2);
            firstOpt.Save(file);
            var second = new Block();
            second.load_state_dict(first.state_dict());
            using var secondOpt = new TrainerOptimizer(second.parameters(), options);
            secondOpt.Load(file);
            Train(second, secondOpt, 3);

            foreach (var ((name, a), (_, b)) in straight.named_parameters().Zip(second.named_parameters()))
                Assert.That(TensorAssert.Same(a, b), Is.True, $"{name} after 2 + 3 steps with a save in between");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
