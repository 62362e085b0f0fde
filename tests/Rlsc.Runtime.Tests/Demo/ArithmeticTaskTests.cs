using System.Text.Json;
using System.Text.RegularExpressions;
using Rlsc.Core;
using Rlsc.Runtime.Demo.ArithmeticTask;

namespace Rlsc.Runtime.Tests.Demo;

public partial class ArithmeticTaskTests
{
    static readonly ArithmeticTaskOptions Small = new() { Seed = 7, TestCount = 60, TrainCount = 60, WarmupCount = 3000, SlipRate = 0.35 };

    [GeneratedRegex(@"^(\d+)([+\-*])(\d+)=(-?\d+)$")]
    private static partial Regex StepLine();

    string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("rlsc-arith-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    static List<JsonElement> ReadJsonl(string path) =>
        File.ReadLines(path).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    [Test]
    public void SplitMix64_matches_the_published_reference_sequence()
    {
        // SplitMix64 seeded with 0: first output 0xE220A8397B1DCDAF (Vigna's reference implementation).
        var random = new TaskRandom(0);
        Assert.That(random.NextDouble(), Is.EqualTo((0xE220A8397B1DCDAFUL >> 11) * (1.0 / (1UL << 53))));
    }

    [Test]
    public void Next_covers_its_range_evenly()
    {
        var random = new TaskRandom(3);
        var counts = new int[7];
        for (int i = 0; i < 70_000; i++) counts[random.Next(3, 9) - 3]++;
        Assert.That(counts, Has.All.InRange(9_500, 10_500));
    }

    [Test]
    public void Same_seed_writes_the_same_bytes_and_another_seed_does_not()
    {
        string a = Path.Combine(_dir, "a"), b = Path.Combine(_dir, "b"), c = Path.Combine(_dir, "c");
        ArithmeticTaskWriter.Write(a, Small, ArithmeticTaskGenerator.Generate(Small));
        ArithmeticTaskWriter.Write(b, Small, ArithmeticTaskGenerator.Generate(Small));
        var other = new ArithmeticTaskOptions { Seed = 8, TestCount = 60, TrainCount = 60, WarmupCount = 3000 };
        ArithmeticTaskWriter.Write(c, other, ArithmeticTaskGenerator.Generate(other));
        foreach (string file in new[] { "test.jsonl", "train.jsonl", "warmup.jsonl", "task.json" })
            Assert.That(File.ReadAllBytes(Path.Combine(b, file)), Is.EqualTo(File.ReadAllBytes(Path.Combine(a, file))), file);
        Assert.That(File.ReadAllBytes(Path.Combine(c, "test.jsonl")), Is.Not.EqualTo(File.ReadAllBytes(Path.Combine(a, "test.jsonl"))));
    }

    [Test]
    public void A_larger_warmup_split_leaves_test_and_train_unchanged()
    {
        var more = new ArithmeticTaskOptions { Seed = 7, TestCount = 60, TrainCount = 60, WarmupCount = 5000, SlipRate = 0.2 };
        var first = ArithmeticTaskGenerator.Generate(Small);
        var second = ArithmeticTaskGenerator.Generate(more);
        Assert.That(second.Test.Select(p => p.Question), Is.EqualTo(first.Test.Select(p => p.Question)));
        Assert.That(second.Train.Select(p => p.Question), Is.EqualTo(first.Train.Select(p => p.Question)));
    }

    [Test]
    public void Splits_are_disjoint_and_the_training_split_carries_no_answer()
    {
        ArithmeticTaskWriter.Write(_dir, Small, ArithmeticTaskGenerator.Generate(Small));
        var test = ReadJsonl(Path.Combine(_dir, "test.jsonl")).Select(e => e.GetProperty("question").GetString()!).ToHashSet();
        var trainLines = ReadJsonl(Path.Combine(_dir, "train.jsonl"));
        var train = trainLines.Select(e => e.GetProperty("question").GetString()!).ToHashSet();
        var warmup = ReadJsonl(Path.Combine(_dir, "warmup.jsonl")).Select(e => e.GetProperty("prompt").GetString()!).ToHashSet();
        Assert.That(test, Has.Count.EqualTo(60));
        Assert.That(train, Has.Count.EqualTo(60));
        Assert.That(warmup, Has.Count.EqualTo(3000));
        Assert.That(test.Overlaps(train) || test.Overlaps(warmup) || train.Overlaps(warmup), Is.False);
        foreach (var line in trainLines)
            Assert.That(line.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "id", "question" }));
    }

    [Test]
    public void Test_answers_are_what_a_correct_solution_computes()
    {
        ArithmeticTaskWriter.Write(_dir, Small, ArithmeticTaskGenerator.Generate(Small));
        foreach (var line in ReadJsonl(Path.Combine(_dir, "test.jsonl")))
        {
            string answer = line.GetProperty("answer").GetString()!;
            var (steps, boxed) = Parse(line.GetProperty("solution").GetString()!);
            foreach (var (left, op, right, result) in steps)
                Assert.That(result, Is.EqualTo(ArithmeticStep.Apply(left, op, right)));
            Assert.That(boxed, Is.EqualTo(answer));
            Assert.That(boxed, Is.EqualTo(steps[^1].Result.ToString()));
            // Every number of the question is an operand of the solution (no distractors, no hidden numbers).
            var numbers = Regex.Matches(line.GetProperty("question").GetString()!, @"\d+").Select(m => int.Parse(m.Value)).Order();
            var given = steps.SelectMany(s => new[] { s.Left, s.Right }).ToList();
            Assert.That(numbers.All(n => given.Contains(n)), Is.True, line.GetProperty("question").GetString());
        }
    }

    [Test]
    public void Warmup_slips_are_the_documented_ones_at_the_documented_rate()
    {
        var task = ArithmeticTaskGenerator.Generate(Small);
        int couldSlip = 0, slipped = 0;
        foreach (var (problem, solution) in task.Warmup)
        {
            var (steps, boxed) = Parse(solution.Text);
            int wrong = 0;
            var correct = ArithmeticStep.Evaluate(problem.Steps);
            for (int i = 0; i < steps.Count; i++)
            {
                var (left, op, right, result) = steps[i];
                var alternatives = Slips.Alternatives(left, op, right);
                if (alternatives.Count > 0) couldSlip++;
                if (result != ArithmeticStep.Apply(left, op, right))
                {
                    Assert.That(alternatives, Does.Contain(result), solution.Text);
                    wrong++;
                }
            }
            slipped += wrong;
            Assert.That(wrong, Is.EqualTo(solution.SlipCount));
            Assert.That(boxed, Is.EqualTo(steps[^1].Result.ToString()), "the boxed answer is the chain's last result");
            if (wrong == 0) Assert.That(solution.WrittenAnswer, Is.EqualTo(correct[^1]));
            Assert.That(steps.All(s => s.Result >= 0), Is.True, solution.Text);
        }
        double rate = (double)slipped / couldSlip;
        // Slips that would make a count negative are not made, so the observed rate sits a little below 0.35.
        Assert.That(rate, Is.InRange(0.30, 0.37));
    }

    [Test]
    public void Slip_rate_zero_writes_only_correct_solutions()
    {
        var task = ArithmeticTaskGenerator.Generate(new ArithmeticTaskOptions { Seed = 7, TestCount = 5, TrainCount = 5, WarmupCount = 2000, SlipRate = 0 });
        Assert.That(task.Warmup.All(e => e.Solution.SlipCount == 0 && e.Solution.WrittenAnswer == e.Problem.Answer), Is.True);
    }

    [TestCase(47, Operation.Add, 38, new[] { 75 })]
    [TestCase(58, Operation.Add, 67, new[] { 115 })]
    [TestCase(43, Operation.Add, 21, new int[0])]
    [TestCase(52, Operation.Subtract, 17, new[] { 45 })]
    [TestCase(58, Operation.Subtract, 13, new int[0])]
    [TestCase(7, Operation.Multiply, 8, new[] { 63 })]
    [TestCase(2, Operation.Multiply, 11, new[] { 24 })]
    [TestCase(1, Operation.Multiply, 9, new int[0])]
    public void Slips_are_a_forgotten_carry_a_forgotten_borrow_or_a_times_table_neighbour(int left, Operation op, int right, int[] expected)
    {
        // 7*8 written as 7*9 = 63, the next entry of 7's row: result + left. One wrong value per step, so that it
        // survives sampling at T < 1 (docs/embedded-default.md).
        Assert.That(Slips.Alternatives(left, op, right), Is.EqualTo(expected));
    }

    [TestCase(0.5)]
    [TestCase(-0.1)]
    [TestCase(double.NaN)]
    public void A_slip_rate_that_would_make_the_wrong_answer_the_mode_is_refused(double rate)
    {
        var error = Assert.Throws<RlscException>(() => ArithmeticTaskGenerator.Generate(new ArithmeticTaskOptions { SlipRate = rate }));
        Assert.That(error!.Code, Is.EqualTo(ErrorCodes.InvalidArgument));
    }

    static (List<(int Left, Operation Op, int Right, int Result)> Steps, string Boxed) Parse(string solution)
    {
        var lines = solution.Split('\n');
        var steps = new List<(int, Operation, int, int)>();
        foreach (string line in lines[..^1])
        {
            var m = StepLine().Match(line);
            Assert.That(m.Success, Is.True, $"'{line}' is not a step line");
            var op = m.Groups[2].Value switch { "+" => Operation.Add, "-" => Operation.Subtract, _ => Operation.Multiply };
            steps.Add((int.Parse(m.Groups[1].Value), op, int.Parse(m.Groups[3].Value), int.Parse(m.Groups[4].Value)));
        }
        Assert.That(lines[^1], Does.Match(@"^\\boxed\{-?\d+\}$"));
        return (steps, lines[^1][7..^1]);
    }
}
