using System.CommandLine;
using Rlsc.Cli.Commands;

namespace Rlsc.Cli;

/// <summary>The `rlsc` command tree. Each subcommand lives in Commands/, one file each.</summary>
public static class RlscCommandLine
{
    public static RootCommand Build()
    {
        var root = new RootCommand("rlsc: label-free RL fine-tuning (RLSC) and benchmark evaluation of math-reasoning language models.");
        root.Subcommands.Add(DoctorCommand.Create());
        root.Subcommands.Add(GradeCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        root.Subcommands.Add(GateCommand.Create());
        root.Subcommands.Add(TokenizeCommand.Create());
        root.Subcommands.Add(FineTuneCommand.Create());
        root.Subcommands.Add(CompareObjectivesCommand.Create());
        root.Subcommands.Add(SftCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(FetchModelCommand.Create());
        root.Subcommands.Add(GenerateCommand.Create());
        root.Subcommands.Add(ScoreCommand.Create());
        root.Subcommands.Add(InitModelCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        NumericOptionParsers.Install(root);
        return root;
    }
}
