namespace ActorNet.Chat; internal static class Placeholder {}
