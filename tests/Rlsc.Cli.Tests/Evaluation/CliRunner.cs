namespace Rlsc.Cli.Tests.Evaluation;

/// <summary>Runs `rlsc` in process with stdout and stderr captured.</summary>
static class CliRunner
{
    static readonly object Gate = new();

    public static (int Exit, string Out, string Err) Run(params string[] args)
    {
        lock (Gate)
        {
            var (stdout, stderr) = (Console.Out, Console.Error);
            using var o = new StringWriter();
            using var e = new StringWriter();
            Console.SetOut(o);
            Console.SetError(e);
            try
            {
                int exit = RlscCommandLine.Build().Parse(args).Invoke();
                return (exit, o.ToString(), e.ToString());
            }
            finally
            {
                Console.SetOut(stdout);
                Console.SetError(stderr);
            }
        }
    }

    public static string TempFolder()
    {
        string folder = Path.Combine(Path.GetTempPath(), "rlsc-evalcli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }
}
