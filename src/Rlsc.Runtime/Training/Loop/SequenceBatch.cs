using static TorchSharp.torch;

namespace Rlsc.Runtime.Training.Loop;

/// <summary>
/// Prompt + completion sequences padded on the right into one batch: ids, attention mask and completion mask,
/// each (B, T). Right padding keeps every real token at its natural position, so no position ids are needed.
/// </summary>
public sealed class SequenceBatch : IDisposable
{
    SequenceBatch(Tensor inputIds, Tensor attentionMask, Tensor completionMask, int paddedLength)
    {
        InputIds = inputIds;
        AttentionMask = attentionMask;
        CompletionMask = completionMask;
        PaddedLength = paddedLength;
    }

    /// <summary>(B, T) int64.</summary>
    public Tensor InputIds { get; }
    /// <summary>(B, T) int64: 1 for prompt and completion tokens, 0 for padding.</summary>
    public Tensor AttentionMask { get; }
    /// <summary>(B, T) int64: 1 for completion tokens only.</summary>
    public Tensor CompletionMask { get; }
    public int PaddedLength { get; }

    /// <param name="rows">Each row's prompt and completion token ids.</param>
    public static SequenceBatch Build(IReadOnlyList<(IReadOnlyList<int> Prompt, IReadOnlyList<int> Completion)> rows, int padId, Device device)
    {
        int b = rows.Count;
        int t = rows.Max(r => r.Prompt.Count + r.Completion.Count);
        var ids = new long[b * t];
        var attention = new long[b * t];
        var completion = new long[b * t];
        Array.Fill(ids, padId);
        for (int i = 0; i < b; i++)
        {
            var (prompt, tokens) = rows[i];
            int offset = i * t;
            for (int j = 0; j < prompt.Count; j++)
            {
                ids[offset + j] = prompt[j];
                attention[offset + j] = 1;
            }
            for (int j = 0; j < tokens.Count; j++)
            {
                int at = offset + prompt.Count + j;
                ids[at] = tokens[j];
                attention[at] = 1;
                completion[at] = 1;
            }
        }
        return new SequenceBatch(
            tensor(ids, [b, t]).to(device),
            tensor(attention, [b, t]).to(device),
            tensor(completion, [b, t]).to(device),
            t);
    }

    public void Dispose()
    {
        InputIds.Dispose();
        AttentionMask.Dispose();
        CompletionMask.Dispose();
    }
}
