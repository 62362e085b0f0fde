using System.CommandLine;
using Rlsc.Runtime.Demo.ArithmeticTask;

namespace Rlsc.Cli.Commands.Demo;

/// <summary>
/// `rlsc demo make-task --out DIR [--seed S] [--test N] [--train N] [--warmup N] [--slip-rate P]`: writes the arith
/// task's splits (test.jsonl, train.jsonl, warmup.jsonl) and task.json. Deterministic: the same arguments write
/// the same bytes.
/// </summary>
public static class MakeTaskCommand
{
    public static Command Create()
    {
        var defaults = new ArithmeticTaskOptions();
        var outOption = new Option<string>("--out") { Description = "Folder to write the splits into (eval-suites/data/arith for the committed task).", Required = true };
        var seedOption = new Option<long>("--seed") { Description = "Seed of every random choice.", DefaultValueFactory = _ => defaults.Seed };
        var testOption = new Option<int>("--test") { Description = "Held-out test questions (with gold answers).", DefaultValueFactory = _ => defaults.TestCount };
        var trainOption = new Option<int>("--train") { Description = "Unlabeled training questions for RLSC.", DefaultValueFactory = _ => defaults.TrainCount };
        var warmupOption = new Option<int>("--warmup") { Description = "Warm-up examples with worked solutions for rlsc sft.", DefaultValueFactory = _ => defaults.WarmupCount };
        var slipOption = new Option<double>("--slip-rate") { Description = "Probability that the warm-up teacher slips at a carry, a borrow or a multiplication.", DefaultValueFactory = _ => defaults.SlipRate };
        var command = new Command("make-task", "Write the arith task: a held-out test split with gold answers, an unlabeled training split and a noisy warm-up split.")
        {
            outOption, seedOption, testOption, trainOption, warmupOption, slipOption,
        };
        CommandAction.Set(command, parse =>
        {
            var options = new ArithmeticTaskOptions
            {
                Seed = parse.GetValue(seedOption),
                TestCount = parse.GetValue(testOption),
                TrainCount = parse.GetValue(trainOption),
                WarmupCount = parse.GetValue(warmupOption),
                SlipRate = parse.GetValue(slipOption),
            };
            var task = ArithmeticTaskGenerator.Generate(options);
            string summary = ArithmeticTaskWriter.Write(parse.GetValue(outOption)!, options, task);
            Console.WriteLine($"wrote {task.Test.Count} test, {task.Train.Count} train and {task.Warmup.Count} warm-up problems; see {summary}");
            return 0;
        });
        return command;
    }
}
