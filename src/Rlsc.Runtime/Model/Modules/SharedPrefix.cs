using static TorchSharp.torch;

namespace Rlsc.Runtime.Model.Modules;

/// <summary>
/// The keys and values of one prompt that several continuations share, with their autograd history. The first forward
/// (the prompt, one row) fills it; every later forward (B continuations of that prompt) attends to it as if the prompt
/// stood at the start of each row, and does not extend it. A training loss over the B rows then runs the prompt
/// through the model once instead of B times, and back-propagates into it once: its gradient is the sum over the rows,
/// as it is when each row carries its own copy.
/// Unlike <see cref="KVCache"/> (decoding: no gradient, written in place), nothing here is copied under no_grad.
/// </summary>
public sealed class SharedPrefix : IDisposable
{
    readonly Tensor?[] keys;    // per layer: (1, KV, P, D)
    readonly Tensor?[] values;  // per layer: (1, KV, P, D)

    public SharedPrefix(int layers)
    {
        keys = new Tensor?[layers];
        values = new Tensor?[layers];
    }

    /// <summary>The prefix's positions; 0 until the first forward has run.</summary>
    public long Length { get; private set; }

    /// <summary>
    /// Filling (the prompt's forward): keeps the layer's keys and values (1, KV, P, D) and returns them. Afterwards:
    /// returns the prefix's keys and values in front of the new ones, (B, KV, P + T, D).
    /// </summary>
    public (Tensor Keys, Tensor Values) Update(int layer, Tensor newKeys, Tensor newValues)
    {
        if (Length == 0)
        {
            if (newKeys.shape[0] != 1)
                throw new InvalidOperationException($"a shared prefix is one row; its forward had {newKeys.shape[0]}.");
            keys[layer] = newKeys.alias().DetachFromDisposeScope();
            values[layer] = newValues.alias().DetachFromDisposeScope();
            return (newKeys, newValues);
        }
        long b = newKeys.shape[0];
        var k = keys[layer] ?? throw new InvalidOperationException($"the prefix holds no keys for layer {layer}.");
        var v = values[layer]!;
        return (cat([k.expand(b, -1, -1, -1), newKeys], 2), cat([v.expand(b, -1, -1, -1), newValues], 2));
    }

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
