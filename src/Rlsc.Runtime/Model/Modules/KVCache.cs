using TorchSharp;
using static TorchSharp.torch;

namespace Rlsc.Runtime.Model.Modules;

/// <summary>
/// Keys and values of every layer for the tokens seen so far, in preallocated buffers (B, KV, capacity, D) that
/// each step writes into at <see cref="Length"/>: no concatenation, so a decode step costs the same at any
/// context length apart from attention's own reads. The model advances <see cref="Length"/> after its last layer.
/// Rows can be repeated (N samples sharing one prefill) or dropped (finished sequences).
/// </summary>
public sealed class KVCache : IDisposable
{
    readonly Tensor?[] keys;    // per layer: (B, KV, capacity, D)
    readonly Tensor?[] values;  // per layer: (B, KV, capacity, D)

    public KVCache(int layers, long capacity)
    {
        if (capacity <= 0) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "capacity must be positive.");
        keys = new Tensor?[layers];
        values = new Tensor?[layers];
        Capacity = capacity;
    }

    /// <summary>How many positions (padding included) each row holds.</summary>
    public long Length { get; private set; }
    public long Capacity { get; private set; }
    public int Layers => keys.Length;
    /// <summary>Rows in the cache; 0 before the first write.</summary>
    public long BatchSize => keys[0]?.shape[0] ?? 0;

    /// <summary>
    /// Writes a layer's new keys and values (B, KV, T, D) at positions [Length, Length + T) and returns the keys
    /// and values of all Length + T positions: views (B, KV, Length + T, D) into the buffers.
    /// </summary>
    public (Tensor Keys, Tensor Values) Update(int layer, Tensor newKeys, Tensor newValues)
    {
        long t = newKeys.shape[2];
        if (Length + t > Capacity) Grow(Math.Max(Length + t, 2 * Capacity));
        keys[layer] ??= Allocate(newKeys);
        values[layer] ??= Allocate(newValues);
        if (keys[layer]!.shape[0] != newKeys.shape[0])
            throw new InvalidOperationException($"the cache holds {keys[layer]!.shape[0]} rows but layer {layer} got {newKeys.shape[0]}.");
        using (no_grad())
        {
            keys[layer]!.narrow(2, Length, t).copy_(newKeys);
            values[layer]!.narrow(2, Length, t).copy_(newValues);
        }
        return (keys[layer]!.narrow(2, 0, Length + t), values[layer]!.narrow(2, 0, Length + t));
    }

    /// <summary>Called by the model once all layers have written <paramref name="tokens"/> new positions.</summary>
    public void Advance(long tokens) => Length += tokens;

    /// <summary>Repeats every row <paramref name="repeats"/> times in place (row r becomes rows r*n .. r*n+n-1).</summary>
    public void RepeatInterleave(int repeats, long? capacity = null)
    {
        if (repeats == 1 && capacity is null) return;
        Capacity = Math.Max(capacity ?? Capacity, Length);
        Replace(buffer =>
        {
            var rows = buffer.narrow(2, 0, Length).repeat_interleave(repeats, dim: 0);  // (B*n, KV, Length, D)
            return Resized(rows);
        });
    }

    /// <summary>Keeps the rows listed in <paramref name="rows"/> (int64, on the cache's device), in that order.</summary>
    public void Select(Tensor rows) => Replace(buffer => buffer.index_select(0, rows));

    void Grow(long capacity)
    {
        Capacity = capacity;
        Replace(buffer => Resized(buffer.narrow(2, 0, Length)));
    }

    // A buffer of the current capacity holding `rows`' first Length positions.
    Tensor Resized(Tensor rows)
    {
        var shape = rows.shape;
        shape[2] = Capacity;
        var buffer = empty(shape, dtype: rows.dtype, device: rows.device);
        buffer.narrow(2, 0, Length).copy_(rows.narrow(2, 0, Length));
        return buffer;
    }

    void Replace(Func<Tensor, Tensor> transform)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var list in new[] { keys, values })
            for (int i = 0; i < list.Length; i++)
            {
                if (list[i] is not Tensor old) continue;
                list[i] = transform(old).DetachFromDisposeScope();
                old.Dispose();
            }
    }

    Tensor Allocate(Tensor like)
    {
        using var noGrad = no_grad();
        var shape = like.shape;
        shape[2] = Capacity;
        return empty(shape, dtype: like.dtype, device: like.device).DetachFromDisposeScope();
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
