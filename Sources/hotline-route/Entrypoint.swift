import RouteCommands

@main
struct Entrypoint {
  static func main() {
    HotlineRoute.main()
  }
}
