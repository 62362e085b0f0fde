namespace Rlsc.Runtime.Training.Rlsc;

/// <summary>The metrics.jsonl entries of an RLSC step, namespaced like TRL's (completions/mean_length).</summary>
static class RlscMetrics
{
    public static Dictionary<string, double> Of(IReadOnlyList<QuestionOutcome> outcomes)
    {
        var samples = outcomes.SelectMany(o => o.Samples).ToList();
        long tokens = samples.Sum(s => (long)s.Length);
        double sampling = outcomes.Sum(o => o.SamplingSeconds);
        double training = outcomes.Sum(o => o.TrainingSeconds);
        var agreements = outcomes.Select(o => o.Agreement.PairAgreement).Where(double.IsFinite).ToList();
        var metrics = new Dictionary<string, double>
        {
            ["train/loss"] = outcomes.Sum(o => o.Loss),
            ["rlsc/mean_sequence_log_prob"] = samples.Average(s => s.SequenceLogProb),
            ["rlsc/mean_weight"] = samples.Average(s => s.Weight),
            ["rlsc/max_weight"] = samples.Max(s => s.Weight),
            ["rlsc/mean_coefficient"] = samples.Average(s => s.Coefficient),
            ["completions/mean_length"] = samples.Average(s => (double)s.Length),
            ["completions/min_length"] = samples.Min(s => s.Length),
            ["completions/max_length"] = samples.Max(s => s.Length),
            ["completions/truncated_fraction"] = samples.Count(s => s.FinishReason == "length") / (double)samples.Count,
            ["completions/mean_token_entropy"] = tokens == 0 ? 0 : outcomes.Sum(o => o.EntropySum) / tokens,
            ["answers/majority_fraction"] = outcomes.Average(o => o.Agreement.MajorityFraction),
            ["answers/extracted_fraction"] = outcomes.Average(o => o.Agreement.ExtractedFraction),
            ["tokens/sampled"] = tokens,
            ["tokens/forward_with_padding"] = outcomes.Sum(o => o.PaddedTokens),
            ["time/sampling_seconds"] = sampling,
            ["time/forward_backward_seconds"] = training,
            ["throughput/sampled_tokens_per_second"] = sampling > 0 ? tokens / sampling : 0,
            ["throughput/forward_backward_tokens_per_second"] = training > 0 ? outcomes.Sum(o => o.PaddedTokens) / training : 0,
        };
        if (agreements.Count > 0) metrics["answers/agreement"] = agreements.Average();
        return metrics;
    }
}
