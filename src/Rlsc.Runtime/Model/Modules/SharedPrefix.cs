using static TorchSharp.torch;

namespace Rlsc.Runtime.Model.Modules;

/// <summary>
/// The keys and values of prompts that several continuations share, with their autograd history. The first forward
/// (the prompts, one row each, right-padded) fills it; every later forward (B continuations, each of one prompt:
/// <see cref="ShareWith"/>) attends to it as if its prompt stood at the start of each row, and does not extend it. A
/// training loss over the B rows then runs each prompt through the model once instead of once per row, and
/// back-propagates into it once: its gradient is the sum over its rows, as it is when each row carries its own copy.
/// Unlike <see cref="KVCache"/> (decoding: no gradient, written in place), nothing here is copied under no_grad.
/// </summary>
public sealed class SharedPrefix : IDisposable
{
    readonly Tensor?[] keys;    // per layer: (Q, KV, P, D)
    readonly Tensor?[] values;  // per layer: (Q, KV, P, D)
    Tensor? promptOfRow;        // (B) int64: the prompt each continuation row follows

    public SharedPrefix(int layers)
    {
        keys = new Tensor?[layers];
        values = new Tensor?[layers];
    }

    /// <summary>The prefix's positions; 0 until the first forward has run.</summary>
    public long Length { get; private set; }

    /// <summary>
    /// Filling (the prompts' forward): keeps the layer's keys and values (Q, KV, P, D) and returns them. Afterwards:
    /// returns each row's prompt keys and values in front of its new ones, (B, KV, P + T, D).
    /// </summary>
    public (Tensor Keys, Tensor Values) Update(int layer, Tensor newKeys, Tensor newValues)
    {
        if (Length == 0)
        {
            keys[layer] = newKeys.alias().DetachFromDisposeScope();
            values[layer] = newValues.alias().DetachFromDisposeScope();
            return (newKeys, newValues);
        }
        var k = keys[layer] ?? throw new InvalidOperationException($"the prefix holds no keys for layer {layer}.");
        var v = values[layer]!;
        return (cat([Rows(k), newKeys], 2), cat([Rows(v), newValues], 2));
    }

    /// <summary>Which prompt (row of the filling forward) each row of the later forwards follows, (B) int64.</summary>
    public void ShareWith(Tensor promptOfRow) => this.promptOfRow = promptOfRow;

    // The prompts' rows for the continuations: a gather, whose backward sums each prompt's rows into it.
    Tensor Rows(Tensor prompts) => prompts.index_select(0,
        promptOfRow ?? throw new InvalidOperationException("say which prompt each continuation row follows (ShareWith) before attending to the prefix."));

    /// <summary>Called by the model after its last layer: the first forward sets the prefix's length, later ones leave it.</summary>
    public void Advance(long tokens)
    {
        if (Length == 0) Length = tokens;
    }

    public void Dispose()
    {
        foreach (var list in new[] { keys, values })
            for (int i = 0; i < list.Length; i++)
            {
                list[i]?.Dispose();
                list[i] = null;
            }
    }
}
