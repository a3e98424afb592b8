using ActorNet.Node.Cli;

return await NodeCli.RunAsync(args);
