import HotlineSimCommands

@main
struct Entrypoint {
  static func main() {
    HotlineSim.main()
  }
}
