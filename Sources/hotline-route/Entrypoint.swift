import RouteCommands

@main
struct Entrypoint {
  static func main() async {
    await HotlineRoute.main()
  }
}
