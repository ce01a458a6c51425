from fluxent.cli import main

raise SystemExit(main())
