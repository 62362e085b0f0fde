using Rlsc.Core.Tokenization;
using Rlsc.Runtime.Demo.ArithmeticTask;
using Rlsc.Runtime.Demo.Tokenizer;

namespace Rlsc.Runtime.Tests.Demo;

public class DemoTokenizerTests
{
    [Test]
    public void Merges_follow_pair_frequency_and_stop_when_nothing_is_left_to_merge()
    {
        // Pre-tokens: "ab", "Ġab" x2, "Ġabc". Pair counts: (a,b) 4, (Ġ,a) 3, (b,c) 1 -> merge a+b first;
        // then (Ġ,ab) 3, (ab,c) 1 -> Ġ+ab; then (Ġab,c) 1; then every pre-token is one symbol.
        var merges = BpeMergeLearner.Learn(["ab ab ab abc"], 10, []);
        Assert.That(merges, Is.EqualTo(new[] { ("a", "b"), ("Ġ", "ab"), ("Ġab", "c") }));
    }

    [Test]
    public void Ties_go_to_the_pair_that_sorts_first()
    {
        // Pre-tokens "xyz" and "Ġxyz": (x,y) 2, (y,z) 2, (Ġ,x) 1. The tie goes to "x y", which sorts before "y z".
        var merges = BpeMergeLearner.Learn(["xyz xyz"], 1, []);
        Assert.That(merges, Is.EqualTo(new[] { ("x", "y") }));
    }

    [Test]
    public void Digits_and_special_tokens_are_never_merged()
    {
        var merges = BpeMergeLearner.Learn(["<|im_start|>12 12 345<|im_end|>12"], 20, DemoTokenizer.SpecialTokens);
        Assert.That(merges, Is.Empty);
    }

    [Test]
    public void The_tokenizer_learned_from_warmup_data_round_trips_and_keeps_digits_apart()
    {
        string dir = Directory.CreateTempSubdirectory("rlsc-demo-tok-").FullName;
        try
        {
            var options = new ArithmeticTaskOptions { Seed = 3, TestCount = 20, TrainCount = 5, WarmupCount = 400 };
            var task = ArithmeticTaskGenerator.Generate(options);
            ArithmeticTaskWriter.Write(dir, options, task);
            DemoTokenizer.Write(Path.Combine(dir, ArithmeticTaskWriter.WarmupFile), Path.Combine(dir, "tok"), merges: 200);
            using var tokenizer = HfTokenizer.Load(Path.Combine(dir, "tok"));
            Assert.That(tokenizer.VocabSize, Is.LessThanOrEqualTo(256 + 200 + 3));
            foreach (var problem in task.Test)
            {
                string text = ChatTemplates.Render(ChatTemplates.QwenMathCot, problem.Question) + WorkedSolution.Write(problem.Steps).Text + "<|im_end|>";
                int[] ids = tokenizer.Encode(text);
                Assert.That(tokenizer.Decode(ids), Is.EqualTo(text));
                var digitTokens = ids.Select(tokenizer.IdToToken).Where(t => t!.Any(char.IsAsciiDigit)).ToList();
                Assert.That(digitTokens, Has.All.Length.EqualTo(1), "every digit is a token of its own");
                // Whole words of the stories: well under one token per 2 bytes of text.
                Assert.That(ids.Length, Is.LessThan(text.Length / 2));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
