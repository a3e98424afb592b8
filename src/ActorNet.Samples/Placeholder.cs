namespace ActorNet.Samples; public static class Placeholder {}
