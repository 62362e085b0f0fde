using System.Runtime.CompilerServices;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Rlsc.Core;
using Rlsc.Core.Config;

namespace Rlsc.Runtime.Training.Loop;

/// <summary>
/// LoRA on a model's projections (q_proj ... down_proj of every decoder layer): the base weights are frozen and
/// a forward hook on each targeted Linear adds its adapter's output, so the model's own modules, parameter names
/// and checkpoint writer stay untouched. Saving merges the adapters into the weights (W + (alpha/r) B A) just
/// for the write and then restores the exact base weights, so training continues unchanged after a checkpoint.
/// </summary>
public sealed class LoraAttachment : IDisposable
{
    readonly List<Entry> entries;
    readonly AdapterSet set;
    readonly StrongBox<bool> hooksOn;

    sealed record Entry(string Name, Linear Target, LoraAdapter Adapter, IDisposable Hook);

    /// <summary>A module holding the adapters in order, so they save and load as one state dict.</summary>
    sealed class AdapterSet : nn.Module
    {
        public readonly ModuleList<LoraAdapter> adapters;

        public AdapterSet(IEnumerable<LoraAdapter> list) : base(nameof(AdapterSet))
        {
            adapters = nn.ModuleList(list.ToArray());
            RegisterComponents();
        }
    }

    sealed class Unhook(Action remove) : IDisposable
    {
        public void Dispose() => remove();
    }

    LoraAttachment(List<Entry> entries, StrongBox<bool> hooksOn)
    {
        this.entries = entries;
        this.hooksOn = hooksOn;
        set = new AdapterSet(entries.Select(e => e.Adapter));
    }

    /// <summary>Names of the adapted projections (e.g. model.layers.0.self_attn.q_proj), in order.</summary>
    public IReadOnlyList<string> ModuleNames => entries.Select(e => e.Name).ToList();

    /// <summary>The adapters' parameters: the only trainable ones.</summary>
    public IEnumerable<Parameter> Parameters() => entries.SelectMany(e => new[] { e.Adapter.lora_A, e.Adapter.lora_B });

    /// <summary>Freezes <paramref name="model"/> and adds adapters to every Linear whose last name segment is a target.</summary>
    public static LoraAttachment Attach(nn.Module model, LoraOptions options, long seed)
    {
        foreach (var p in model.parameters()) p.requires_grad = false;
        using var generator = new Generator(unchecked((ulong)SeedMixer.Mix(seed, 0x10_7A)));
        var entries = new List<Entry>();
        var hooksOn = new StrongBox<bool>(true);
        foreach (var (name, module) in model.named_modules())
        {
            if (module is not Linear linear || !options.Targets.Contains(name[(name.LastIndexOf('.') + 1)..])) continue;
            var adapter = new LoraAdapter(linear.in_features, linear.out_features, options.Rank, options.Alpha, linear.weight!.device, generator);
            var remover = linear.register_forward_hook((_, input, output) =>
                hooksOn.Value ? output + adapter.call(input).to_type(output.dtype) : output);
            entries.Add(new Entry(name, linear, adapter, new Unhook(remover.remove)));
        }
        if (entries.Count == 0)
            throw new RlscException(ErrorCodes.LoraTargetsNotFound,
                $"no Linear module of the model is named like lora.targets ({string.Join(", ", options.Targets)}); check the names against the model's projections.");
        return new LoraAttachment(entries, hooksOn);
    }

    /// <summary>
    /// Runs <paramref name="write"/> with the adapters merged into the base weights (hooks off), then restores the
    /// base weights bit for bit from a CPU copy. The merge is computed in float32 and rounded once to the weights' dtype.
    /// </summary>
    public void WithMerged(Action write)
    {
        var backups = new List<Tensor>();
        try
        {
            using (no_grad())
            {
                foreach (var e in entries)
                {
                    // One scope per weight: the float32 copy, B A and the sum are freed at once, not at a GC that
                    // rarely comes (~18 bytes per adapted parameter would otherwise pile up: ~115 GB for 7B).
                    using var scope = NewDisposeScope();
                    var w = e.Target.weight!;
                    backups.Add(w.detach().cpu().clone().DetachFromDisposeScope());
                    w.copy_((w.to_type(ScalarType.Float32) + e.Adapter.DeltaWeight()).to_type(w.dtype));
                }
            }
            hooksOn.Value = false;   // merged: the hooks must not add the update a second time
            write();
        }
        finally
        {
            hooksOn.Value = true;
            using (no_grad())
            {
                for (int i = 0; i < backups.Count; i++)
                {
                    using var scope = NewDisposeScope();  // the wrapper .weight returns for each restore
                    entries[i].Target.weight!.copy_(backups[i]);
                }
            }
            foreach (var b in backups) b.Dispose();
        }
    }

    public void Save(string path) => set.save(path);

    public void Load(string path)
    {
        if (!File.Exists(path))
            throw new RlscException(ErrorCodes.CheckpointUnreadable, "the LoRA adapters of this checkpoint are missing.", path);
        set.load(path, strict: true);
    }

    public void Dispose()
    {
        foreach (var e in entries) e.Hook.Dispose();
        set.Dispose();
    }
}
