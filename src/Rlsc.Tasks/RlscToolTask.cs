using System.Diagnostics;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Rlsc.Core;
using Rlsc.Tasks.CommandLine;
using Rlsc.Tasks.GitHub;
using Rlsc.Tasks.Output;
using Rlsc.Tasks.Processes;
using Rlsc.Tasks.Tooling;
using Rlsc.Tasks.Validation;

namespace Rlsc.Tasks;

/// <summary>
/// What every rlsc task shares: finding the tool, running it out of process (libtorch never loads into an
/// MSBuild node), turning its output into build errors, warnings and messages, and stopping it gracefully
/// when the build is cancelled so that a fine-tune stays resumable.
/// </summary>
public abstract class RlscToolTask : ToolTask
{
    volatile Process? _process;
    int _cancelRequested;
    volatile bool _killedAfterGracePeriod;
    volatile bool _interruptedByTerminal;
    RlscToolInvocation? _invocation;

    /// <summary>
    /// The rlsc to run: an executable, an <c>rlsc.dll</c> (run with <c>dotnet exec</c>) or a folder holding
    /// either. No switch. Default: the first of a local tool manifest declaring <c>rlsc</c>, PATH, ~/.dotnet/tools.
    /// </summary>
    public string? RlscToolPath { get; set; }

    /// <summary>
    /// rlsc's working directory, where relative paths in its output are rooted, and where the search for a local
    /// tool manifest starts. No switch. Default: the folder of the project that runs the task.
    /// </summary>
    public string? WorkingDirectory { get; set; }

    /// <summary>
    /// Seconds rlsc gets to save and exit after the build is cancelled (it receives SIGINT, as from Ctrl+C);
    /// after that its process tree is killed. No switch. Default 60; 0 kills at once.
    /// </summary>
    public int CancelGracePeriodSeconds { get; set; } = 60;

    /// <summary>
    /// Importance of rlsc's progress lines (step and problem counters): Low (the default: shown with
    /// <c>-v:detailed</c>), Normal or High (shown at every verbosity, useful in CI logs). No switch.
    /// </summary>
    public string ProgressImportance { get; set; } = nameof(MessageImportance.Low);

    /// <summary>How this run found rlsc (RlscToolPath, local tool manifest, PATH).</summary>
    [Output]
    public string? ToolSource => _invocation?.Source;

    /// <summary>Reads an environment variable; tests substitute a fake environment.</summary>
    internal Func<string, string?> ReadEnvironment { get; set; } = Environment.GetEnvironmentVariable;

    /// <summary>Whether the tool was stopped because the build was cancelled.</summary>
    internal bool CancelRequested => Volatile.Read(ref _cancelRequested) == 1;

    /// <inheritdoc />
    protected sealed override string ToolName => RlscToolLocator.CommandName;

    /// <summary>rlsc writes UTF-8 whatever the console's code page.</summary>
    protected override Encoding StandardOutputEncoding => new UTF8Encoding(false);

    /// <inheritdoc />
    protected override Encoding StandardErrorEncoding => new UTF8Encoding(false);

    /// <summary>rlsc's information lines are for the user: normal, not low, importance.</summary>
    protected override MessageImportance StandardOutputLoggingImportance => MessageImportance.Normal;

    /// <summary>Checks this task's own parameters; add every problem to <paramref name="check"/>.</summary>
    private protected abstract void Validate(ParameterCheck check);

    /// <summary>Appends the subcommand and its switches.</summary>
    private protected abstract void AppendArguments(RlscArguments arguments);

    /// <summary>After rlsc succeeded: checks the files it promised and sets the [Output] parameters.</summary>
    private protected virtual bool CollectOutputs() => true;

    /// <summary>After rlsc ran to its end, passed or failed (not when cancelled): files worth keeping either way.</summary>
    private protected virtual void AfterRun() { }

    /// <summary>When this run started (UTC), to tell files it wrote from older ones.</summary>
    private protected DateTime StartedUtc { get; private set; }

    /// <summary>The rlsc arguments this task would pass (without any launcher prefix), for tests and logs.</summary>
    internal IReadOnlyList<string> BuildArguments()
    {
        var arguments = new RlscArguments();
        AppendArguments(arguments);
        return arguments.Items;
    }

    /// <inheritdoc />
    public override bool Execute()
    {
        // A second's margin: some file systems keep whole-second timestamps.
        StartedUtc = DateTime.UtcNow.AddSeconds(-1);
        bool succeeded = base.Execute();
        if (_killedAfterGracePeriod)
        {
            // ToolTask returns without HandleTaskExecutionErrors when it killed the tool.
            LogTaskError(ErrorCodes.KilledAfterCancel,
                $"the build was cancelled and rlsc did not stop within {CancelGracePeriodSeconds} s of SIGINT, so it was killed. "
                + "A fine-tune keeps the last checkpoint it saved; build again to resume from it, or raise RlscCancelGracePeriodSeconds.");
            return false;
        }
        if (CancelRequested) return false;
        if (_invocation is not null) AfterRun();
        return succeeded && !Log.HasLoggedErrors && CollectOutputs();
    }

    /// <summary>Logs every problem with the parameters (and a missing tool), then fails once.</summary>
    protected override bool ValidateParameters()
    {
        var check = new ParameterCheck();
        if (CancelGracePeriodSeconds < 0)
            check.Fail(ErrorCodes.InvalidParameter, $"CancelGracePeriodSeconds is {CancelGracePeriodSeconds}; expected 0 or more seconds.");
        check.OneOf(nameof(ProgressImportance), ProgressImportance, "Low", "Normal", "High");
        Validate(check);

        _invocation = new RlscToolLocator(ReadEnvironment).Locate(RlscToolPath, ToolSearchStart, out string? problem);
        if (_invocation is null) check.Fail(ErrorCodes.ToolNotFound, problem!);

        foreach (var (code, message) in check.Problems) LogTaskError(code, message);
        if (check.Problems.Count > 0) return false;
        Log.LogMessage(MessageImportance.Low, "rlsc: {0} (found via {1})", _invocation!.FileName, _invocation.Source);
        return base.ValidateParameters();
    }

    /// <inheritdoc />
    protected override string GenerateFullPathToTool() => _invocation!.FileName;

    /// <inheritdoc />
    protected override string GenerateCommandLineCommands()
    {
        var arguments = new RlscArguments().Add(_invocation!.PrefixArguments.ToArray());
        AppendArguments(arguments);
        return arguments.ToString();
    }

    /// <inheritdoc />
    protected override string? GetWorkingDirectory() => string.IsNullOrEmpty(WorkingDirectory) ? null : Path.GetFullPath(WorkingDirectory);

    /// <summary>Keeps the process, so that a cancel can signal it.</summary>
    protected override Process StartToolProcess(Process proc)
    {
        var started = base.StartToolProcess(proc);
        _process = started;
        if (CancelRequested) BeginGracefulStop(started); // cancelled while starting
        return started;
    }

    /// <summary>
    /// Cancelling the build: SIGINT to rlsc (and any launcher between), a grace period for it to save and exit
    /// with 130, then ToolTask's kill of the process tree. Returns at once; MSBuild waits for Execute to end.
    /// </summary>
    public override void Cancel()
    {
        if (Interlocked.Exchange(ref _cancelRequested, 1) == 1) return;
        var process = _process;
        if (process is null) return; // StartToolProcess will see the request
        BeginGracefulStop(process);
    }

    void BeginGracefulStop(Process process)
    {
        if (!PosixSignal.IsSupported || CancelGracePeriodSeconds == 0)
        {
            base.Cancel();
            return;
        }
        _ = System.Threading.Tasks.Task.Run(() =>
        {
            try
            {
                // A Ctrl+C in the terminal has already reached rlsc (same foreground process group); rlsc takes a
                // second signal as "stop now without saving", so only a cancel from elsewhere sends one.
                _interruptedByTerminal = ProcessTree.InTerminalForeground(process.Id);
                if (!_interruptedByTerminal)
                    foreach (int pid in ProcessTree.WithDescendants(process.Id)) PosixSignal.TrySend(pid, PosixSignal.Interrupt);
                var deadline = Stopwatch.StartNew();
                while (deadline.Elapsed.TotalSeconds < CancelGracePeriodSeconds)
                {
                    if (process.HasExited) return; // ToolTask's loop sees the exit and logs rlsc's last lines
                    Thread.Sleep(100);
                }
                _killedAfterGracePeriod = !process.HasExited;
            }
            catch (InvalidOperationException)
            {
                return; // the process is already gone
            }
            base.Cancel();
        });
    }

    /// <summary>An error or warning held back until its indented continuation lines (if any) have arrived.</summary>
    ToolOutputLine? _pending;

    /// <summary>Runs the tool, then logs an error still waiting for continuation lines.</summary>
    protected override int ExecuteTool(string pathToTool, string responseFileCommands, string commandLineCommands)
    {
        try
        {
            return base.ExecuteTool(pathToTool, responseFileCommands, commandLineCommands);
        }
        finally
        {
            FlushPending();
        }
    }

    /// <summary>
    /// Classifies each line: canonical errors and warnings, progress, other messages. Indented lines right after an
    /// error belong to it (rlsc lists a configuration's problems under one error: "  - training.steps = -3 …").
    /// </summary>
    protected override void LogEventsFromTextOutput(string singleLine, MessageImportance messageImportance)
    {
        if (_pending is not null && singleLine.Length > 0 && char.IsWhiteSpace(singleLine[0]))
        {
            _pending = _pending with { Text = _pending.Text + Environment.NewLine + singleLine.TrimEnd() };
            return;
        }
        FlushPending();
        var line = ToolOutputParser.Parse(singleLine);
        if (line.Kind is ToolOutputKind.Error or ToolOutputKind.Warning)
        {
            _pending = line;
            return;
        }
        LogLine(line, singleLine, messageImportance);
    }

    void FlushPending()
    {
        if (_pending is not { } pending) return;
        _pending = null;
        LogLine(pending, pending.Text, MessageImportance.Normal);
    }

    void LogLine(ToolOutputLine line, string singleLine, MessageImportance messageImportance)
    {
        // An error that concerns no file is placed at the task, as MSBuild places its own task errors.
        if (line.File is null && line.Kind is ToolOutputKind.Error or ToolOutputKind.Warning)
            line = line with { File = BuildEngine?.ProjectFileOfTaskNode, Line = BuildEngine?.LineNumberOfTaskNode ?? 0, Column = BuildEngine?.ColumnNumberOfTaskNode ?? 0 };
        switch (line.Kind)
        {
            case ToolOutputKind.Error:
                Log.LogError(null, line.Code, null, line.File, line.Line, line.Column, 0, 0, line.Text);
                Annotate("error", line);
                break;
            case ToolOutputKind.Warning:
                Log.LogWarning(null, line.Code, null, line.File, line.Line, line.Column, 0, 0, line.Text);
                Annotate("warning", line);
                break;
            case ToolOutputKind.Progress:
                Log.LogMessage(ParseImportance(ProgressImportance), singleLine);
                break;
            default:
                Log.LogMessage(messageImportance, singleLine);
                break;
        }
    }

    /// <summary>A non-zero exit: rlsc normally said why (a canonical error); if not, say so with our own code.</summary>
    protected override bool HandleTaskExecutionErrors()
    {
        if (CancelRequested)
        {
            Log.LogMessage(MessageImportance.High, "rlsc stopped after the build was cancelled ({0}; exit code {1}); build again to resume.",
                _interruptedByTerminal ? "Ctrl+C reached it from the terminal" : "the task sent it SIGINT", ExitCode);
            return false;
        }
        if (!HasLoggedErrors)
            LogTaskError(ErrorCodes.ToolFailed,
                $"rlsc exited with code {ExitCode} without reporting an error; its output is above. "
                + "Run the command line shown above by hand to see more, and 'rlsc doctor' to check the installation.");
        return false;
    }

    /// <summary>An error of the task itself, placed at the task's line in the project file.</summary>
    private protected void LogTaskError(string code, string message)
    {
        string? file = BuildEngine?.ProjectFileOfTaskNode;
        int line = BuildEngine?.LineNumberOfTaskNode ?? 0;
        int column = BuildEngine?.ColumnNumberOfTaskNode ?? 0;
        Log.LogError(null, code, null, file, line, column, 0, 0, message);
        Annotate("error", new ToolOutputLine(ToolOutputKind.Error, message, code, file, line, column));
    }

    /// <summary>On GitHub Actions, the error also becomes an annotation (docs/pipeline.md, "GitHub Actions").</summary>
    void Annotate(string level, ToolOutputLine line)
    {
        var github = new GitHubActions(ReadEnvironment);
        if (!github.IsActive) return;
        Log.LogMessage(MessageImportance.High, github.Annotation(level, line.Text, line.File, line.Line, line.Column, line.Code));
    }

    /// <summary>The folder the local tool manifest search starts from.</summary>
    string ToolSearchStart =>
        !string.IsNullOrEmpty(WorkingDirectory) ? Path.GetFullPath(WorkingDirectory)
        : BuildEngine?.ProjectFileOfTaskNode is { Length: > 0 } project ? Path.GetDirectoryName(Path.GetFullPath(project))!
        : Directory.GetCurrentDirectory();

    static MessageImportance ParseImportance(string value) =>
        Enum.TryParse(value, ignoreCase: true, out MessageImportance importance) ? importance : MessageImportance.Low;

    /// <summary>An [Output] item for a file or folder, with its full path.</summary>
    private protected static ITaskItem Item(string path) => new TaskItem(Path.GetFullPath(path));
}
