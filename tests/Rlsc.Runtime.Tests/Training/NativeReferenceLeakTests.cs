using Rlsc.Runtime.Model;
using Rlsc.Runtime.Model.Modules;
using Rlsc.Runtime.Platform;
using Rlsc.Core.Config;
using Rlsc.Runtime.Training.Loop;
using Rlsc.Runtime.Training.Policy;
using Rlsc.Runtime.Training.Rlsc;
using Rlsc.Runtime.Training.Sft;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Rlsc.Runtime.Tests.Training;

/// <summary>
/// Temporaries and p.grad wrappers left to the GC hold GPU memory until a collection that rarely comes: the LoRA merge
/// of a checkpoint and the optimizer's gradient reads must leave no live tensor behind. Counted with TorchSharp's
/// per-thread statistics of tensors alive, which the GC cannot change while the test runs (nothing is collected on
/// purpose and the counts are of undisposed wrappers, not of memory).
/// </summary>
[NonParallelizable]
public class NativeReferenceLeakTests
{
    [OneTimeSetUp]
    public void LoadTorch() => TorchLoader.EnsureLoaded();

    static long Live => DisposeScopeManager.Statistics.ThreadTotalLiveCount;

    [Test]
    public void TheLoraMergeLeavesNoTemporaryAlive()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        var model = nn.Sequential(("q_proj", nn.Linear(16, 16)), ("up_proj", nn.Linear(16, 32)));
        using var lora = LoraAttachment.Attach(model, new LoraOptions { Enabled = true, Rank = 4, Alpha = 8, Targets = ["q_proj", "up_proj"] }, seed: 2);
        foreach (var p in lora.Parameters()) using (no_grad()) p.normal_();
        lora.WithMerged(() => { });  // warm-up: lazily created state is not a leak
        long before = Live;
        lora.WithMerged(() => { });
        lora.WithMerged(() => { });
        Assert.That(Live - before, Is.Zero, "tensors left alive by two merges");
    }

    [Test]
    public void ClippingAndZeroingGradientsLeaveNoGradientReferenceAlive()
    {
        manual_seed(6);
        using var layer = nn.Linear(32, 32);
        using var optimizer = new TrainerOptimizer(layer.parameters(), new OptimizationOptions { LearningRate = 1e-3, MaxGradNorm = 1.0 });
        using var x = randn(4, 32);
        // The optimizer's calls run outside any scope of the caller, as the training session makes them between micro-batches.
        void OneStep()
        {
            using (NewDisposeScope()) layer.call(x).pow(2).sum().backward();
            optimizer.ClipGradients();
            optimizer.Step();
            optimizer.ZeroGrad();
        }
        OneStep();  // the first step creates AdamW's moments
        long before = Live;
        OneStep();
        OneStep();
        Assert.That(Live - before, Is.Zero, "tensors (p.grad wrappers) left alive by two steps");
    }

    [Test]
    public void AttentionRegroupsAnOutputInTheLayoutCudasMemoryEfficientKernelReturns()
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        long b = 2, kv = 2, groups = 3, t = 5, d = 4;
        // The kernel's memory order is (B, G*T, KV, D); seen as (B, KV, G*T, D) it is a transpose, not contiguous.
        var y = randn(b, groups * t, kv, d, dtype: ScalarType.Float64).transpose(1, 2);
        Assert.That(y.is_contiguous(), Is.False);
        Assert.Throws<System.Runtime.InteropServices.ExternalException>(() => y.view(b, kv * groups, t, d), "view cannot regroup this layout (the bug)");
        var split = Qwen2Attention.SplitGroups(y, kv * groups, t);
        Assert.That(split.shape, Is.EqualTo(new[] { b, kv * groups, t, d }));
        Assert.That(split.equal(y.contiguous().view(b, kv * groups, t, d)).all().item<bool>(), Is.True);
    }
}
