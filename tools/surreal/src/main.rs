// The official `surreal` binary's main, verbatim: the server and CLI live in the library.
fn main() -> std::process::ExitCode {
	surrealdb_server::init(surrealdb_core::CommunityComposer())
}
