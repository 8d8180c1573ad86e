namespace myo::store {}
