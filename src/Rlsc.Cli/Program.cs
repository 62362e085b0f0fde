using Rlsc.Cli;

return RlscCommandLine.Build().Parse(args).Invoke();
