// The official `surreal` binary's main, verbatim: the server and CLI live in the library.
#![recursion_limit = "256"]
fn main() -> std::process::ExitCode {
	surrealdb_server::init(surrealdb_core::CommunityComposer())
}
